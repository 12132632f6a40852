using Metering.Api.Access;
using Metering.Pricing.Usage;
using Microsoft.Extensions.Options;

namespace Metering.Api.Ingestion;

/// <summary>
/// What both HTTP front doors do once they hold bodies of SPEC §3 events (or native payloads): check each item with
/// the consumer's own reader, refuse another tenant's events for a tenant-bound key, publish the bodies with a broker
/// confirm, and answer. Broken items are published too, so the consumer keeps them as rejections (SPEC §7).
/// </summary>
public sealed class EventIngestion(IngestPublisher publisher, IngestMetrics metrics, IOptions<IngestOptions> options)
{
    /// <param name="door">The endpoint, for metrics: <c>events</c> or <c>traces</c>.</param>
    /// <param name="earlier">Errors found before the events were read (a broken CloudEvent); they win over the reader's for the same item.</param>
    public async Task<IResult> IngestAsync(string door, Caller caller, ReadOnlyMemory<byte> body, IReadOnlyList<ItemError> earlier, CancellationToken cancellationToken)
    {
        var (items, errors, forbidden) = Check(caller, body, earlier);
        if (forbidden is not null)
        {
            return forbidden;
        }

        if (await PublishAsync(door, [body], cancellationToken) is { } unavailable)
        {
            return unavailable;
        }

        metrics.Took(door, items - errors.Count, errors.Count);
        var response = new IngestResponse(items - errors.Count, errors.Count, errors);
        return errors.Count == 0 ? TypedResults.Accepted((string?)null, response) : TypedResults.BadRequest(response);
    }

    /// <summary>
    /// Reads one body as the consumer will: how many items it holds, the broken ones in order, and a <c>403</c> when
    /// a tenant-bound key sends another tenant's events (then nothing of the request may be published).
    /// </summary>
    public (int Items, IReadOnlyList<ItemError> Errors, IResult? Forbidden) Check(Caller caller, ReadOnlyMemory<byte> body, IReadOnlyList<ItemError> earlier)
    {
        var reads = UsageReader.ReadMessage(body);
        if (caller.TenantId is { } bound && reads.FirstOrDefault(r => r.TenantId is { } t && t != bound) is { } foreign)
        {
            var forbidden = Problems.Forbidden($"this API key may write only tenant {Problems.Quote(bound)}; the request holds events of {Problems.Quote(foreign.TenantId)}");
            return (reads.Count, [], forbidden);
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

        return (reads.Count, [.. errors.Values], null);
    }

    /// <summary>
    /// Publishes the bodies in order, each confirmed before the next; the <c>503</c> to answer when the broker fails.
    /// Bodies confirmed before a failure are metered; the client's retry sends them again and they bill once.
    /// </summary>
    public async Task<IResult?> PublishAsync(string door, IEnumerable<ReadOnlyMemory<byte>> bodies, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var body in bodies)
            {
                await publisher.PublishAsync(body, cancellationToken);
            }

            return null;
        }
        catch (BrokerUnavailableException e)
        {
            metrics.Unavailable(door);
            return new RetryAfter(options.Value.RetryAfterSeconds, Problems.Unavailable($"{e.Message}. Send the request again: what was accepted of it bills once."));
        }
    }

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
