using Metering.Api.Access;
using Metering.Pricing.Usage;
using Microsoft.Extensions.Options;

namespace Metering.Api.Ingestion;

/// <summary>
/// What both HTTP front doors do once they hold a body of SPEC §3 events (or native payloads): check each item with
/// the consumer's own reader, refuse another tenant's events for a tenant-bound key, publish the whole body with a
/// broker confirm, and answer. Broken items are published too, so the consumer keeps them as rejections (SPEC §7).
/// </summary>
public sealed class EventIngestion(IngestPublisher publisher, IngestMetrics metrics, IOptions<IngestOptions> options)
{
    /// <param name="door">The endpoint, for metrics: <c>events</c> or <c>traces</c>.</param>
    /// <param name="earlier">Errors found before the events were read (a broken CloudEvent); they win over the reader's for the same item.</param>
    public async Task<IResult> IngestAsync(string door, Caller caller, ReadOnlyMemory<byte> body, IReadOnlyList<ItemError> earlier, CancellationToken cancellationToken)
    {
        var reads = UsageReader.ReadMessage(body);
        if (caller.TenantId is { } bound && reads.FirstOrDefault(r => r.TenantId is { } t && t != bound) is { } foreign)
        {
            return Problems.Forbidden($"this API key may write only tenant {Problems.Quote(bound)}; the request holds events of {Problems.Quote(foreign.TenantId)}");
        }

        var errors = new SortedDictionary<int, ItemError>();
        for (var i = 0; i < reads.Count; i++)
        {
            if (reads[i].Rejection is { } rejection)
            {
                errors[i] = new ItemError(i, reads[i].EventId, reads[i].TenantId, rejection.Code, rejection.Message);
            }
        }

        foreach (var error in earlier)
        {
            errors[error.Index] = error;
        }

        try
        {
            await publisher.PublishAsync(body, cancellationToken);
        }
        catch (BrokerUnavailableException e)
        {
            metrics.Unavailable(door);
            return Unavailable(e.Message);
        }

        var accepted = reads.Count - errors.Count;
        metrics.Took(door, accepted, errors.Count);
        var response = new IngestResponse(accepted, errors.Count, [.. errors.Values]);
        return errors.Count == 0 ? TypedResults.Accepted((string?)null, response) : TypedResults.BadRequest(response);
    }

    /// <summary>503 with Retry-After: nothing of the request was accepted.</summary>
    public IResult Unavailable(string detail) =>
        new RetryAfter(options.Value.RetryAfterSeconds, Problems.Unavailable($"{detail}. Nothing of this request was accepted; send it again."));

    /// <summary>A result with a <c>Retry-After</c> header.</summary>
    private sealed class RetryAfter(int seconds, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
