using Google.Protobuf;
using Metering.Api.Access;
using Metering.Ingestion.Otlp;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Metering.Api.Ingestion;

/// <summary>
/// <c>POST /v1/traces</c> (SPEC §14): an OTLP/HTTP trace export becomes one usage event per GenAI span, published
/// in bodies of at most 1,000 events with a broker confirm each. The answer is OTLP's own: <c>200</c> with an
/// <c>ExportTraceServiceResponse</c> in the request's encoding, whose <c>partial_success</c> counts the GenAI spans
/// refused (kept as rejections all the same); spans that are not GenAI calls are ignored and counted in metrics.
/// </summary>
public sealed class TraceIngestion(EventIngestion ingestion, IngestMetrics metrics, IOptions<IngestOptions> options)
{
    public const string Protobuf = "application/x-protobuf";

    public async Task<IResult> IngestAsync(Caller caller, ReadOnlyMemory<byte> body, OtlpEncoding encoding, CancellationToken cancellationToken)
    {
        OtlpBatch batch;
        try
        {
            batch = OtlpTraces.Read(body, encoding, new OtlpReadOptions { TenantAttribute = options.Value.TenantAttribute });
        }
        catch (OtlpFormatException e)
        {
            return TypedResults.Problem($"the body is not an OTLP trace export in {encoding}: {e.Message}", statusCode: 400, title: "Bad Request");
        }

        var bodies = batch.MessageBodies().ToList();
        var rejected = 0;
        ItemError? first = null;
        foreach (var events in bodies)
        {
            var (_, errors, forbidden) = ingestion.Check(caller, events, []);
            if (forbidden is not null)
            {
                return forbidden;
            }

            rejected += errors.Count;
            first ??= errors.FirstOrDefault();
        }

        if (await ingestion.PublishAsync("traces", bodies, cancellationToken) is { } unavailable)
        {
            return unavailable;
        }

        metrics.Ignored(batch.IgnoredSpans);
        metrics.Took("traces", batch.GenAiSpans - rejected, rejected);
        var response = new ExportTraceServiceResponse();
        if (rejected > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess
            {
                RejectedSpans = rejected,
                ErrorMessage = $"{rejected} GenAI span(s) refused and kept as rejections; the first, event {first!.EventId}: {first.Code}: {first.Message}",
            };
        }

        return encoding == OtlpEncoding.Protobuf
            ? TypedResults.Bytes(response.ToByteArray(), Protobuf)
            : TypedResults.Text(JsonFormatter.Default.Format(response), "application/json");
    }
}
