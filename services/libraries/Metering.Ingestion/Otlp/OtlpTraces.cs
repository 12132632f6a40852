using System.Buffers;
using System.Text.Json;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// Turns the body of an OTLP/HTTP trace export (<c>POST /v1/traces</c>, SPEC §14) into usage events: one per span
/// that reports GenAI token usage. Pure and allocation-light (one pass, no per-span dictionaries or strings beyond
/// the parsed ones), so an export of 5,000 spans reads in milliseconds.
/// </summary>
public static class OtlpTraces
{
    /// <summary>Room for an event of typical size, so that the buffer seldom grows while writing.</summary>
    private const int BytesPerEvent = 512;

    /// <exception cref="OtlpFormatException">The body is not an export request in <paramref name="encoding"/>.</exception>
    public static OtlpBatch Read(ReadOnlyMemory<byte> body, OtlpEncoding encoding, OtlpReadOptions? options = null)
    {
        options ??= OtlpReadOptions.Default;
        var request = encoding switch
        {
            OtlpEncoding.Protobuf => OtlpProtobufReader.Read(body.Span),
            OtlpEncoding.Json => OtlpJsonReader.Read(body.Span),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "not an OTLP encoding"),
        };
        return Meter(request, options);
    }

    /// <summary>Turns a parsed export request into usage events (for callers that parsed it themselves).</summary>
    public static OtlpBatch Meter(ExportTraceServiceRequest request, OtlpReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= OtlpReadOptions.Default;

        var buffer = new ArrayBufferWriter<byte>(BytesPerEvent);
        var eventEnds = new List<int>();
        int spans = 0, genAi = 0;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var resourceSpans in request.ResourceSpans)
            {
                var resource = ResourceAttributes.Gather(resourceSpans.Resource, options.TenantAttribute);
                foreach (var scopeSpans in resourceSpans.ScopeSpans)
                {
                    foreach (var span in scopeSpans.Spans)
                    {
                        spans++;
                        var found = SpanAttributes.Gather(span.Attributes, options.TenantAttribute);
                        if (found.ReportsUsage)
                        {
                            genAi++;
                            UsageEventWriter.Write(writer, span, found, resource);
                            eventEnds.Add((int)(writer.BytesCommitted + writer.BytesPending));
                        }
                    }
                }
            }

            writer.WriteEndArray();
        }

        return new OtlpBatch(buffer.WrittenSpan.ToArray(), spans, genAi, spans - genAi) { EventEnds = [.. eventEnds] };
    }
}
