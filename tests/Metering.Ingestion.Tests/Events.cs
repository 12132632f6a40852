using System.Text.Json;
using Metering.Ingestion.Otlp;
using Metering.Pricing.Usage;

namespace Metering.Ingestion.Tests;

/// <summary>Reads a batch's events back, as JSON and as the consumer judges them.</summary>
internal static class Events
{
    public static OtlpBatch ReadProtobuf(OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest request, OtlpReadOptions? options = null) =>
        OtlpTraces.Read(Google.Protobuf.MessageExtensions.ToByteArray(request), OtlpEncoding.Protobuf, options);

    public static OtlpBatch ReadJson(string json) => OtlpTraces.Read(System.Text.Encoding.UTF8.GetBytes(json), OtlpEncoding.Json);

    /// <summary>The events as JSON elements (cloned, so the document can go).</summary>
    public static JsonElement[] Of(OtlpBatch batch)
    {
        using var document = JsonDocument.Parse(batch.Events);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public static JsonElement Single(OtlpBatch batch) => Assert.Single(Of(batch));

    /// <summary>What the consumer makes of the batch's body (SPEC §3 validation).</summary>
    public static IReadOnlyList<UsageRead> AsConsumed(OtlpBatch batch) => UsageReader.ReadMessage(batch.Events);

    public static bool Has(this JsonElement element, string property) => element.TryGetProperty(property, out _);
}
