using System.Text.Json;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// Reads <c>application/json</c> export bodies by hand into the protobuf messages. Protobuf's own JSON parser
/// cannot: OTLP/JSON writes trace and span ids in hex where protobuf's mapping expects base64. Only what metering
/// reads is kept (resource attributes; span ids, name, times and attributes); everything else is skipped.
/// </summary>
internal static class OtlpJsonReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    public static ExportTraceServiceRequest Read(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.IsEmpty)
        {
            throw new OtlpFormatException("the body is empty: an OTLP/JSON export is an object");
        }

        var reader = new Utf8JsonReader(body, Options);
        try
        {
            reader.Read();
            var request = new ExportTraceServiceRequest();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw OtlpJson.Unexpected(ref reader, "the body", "an ExportTraceServiceRequest object");
            }

            while (OtlpJson.NextProperty(ref reader))
            {
                if (OtlpJson.IsProperty(ref reader, "resourceSpans"u8, "resource_spans"u8))
                {
                    ReadResourceSpans(ref reader, request);
                }
                else
                {
                    reader.Skip();
                }
            }

            // Anything after the object (a second object, stray text) makes the reader throw.
            reader.Read();
            return request;
        }
        catch (JsonException e)
        {
            throw new OtlpFormatException($"the body is not valid JSON: {e.Message}", e);
        }
    }

    private static void ReadResourceSpans(ref Utf8JsonReader reader, ExportTraceServiceRequest request)
    {
        if (!OtlpJson.IsArray(ref reader, "resourceSpans"))
        {
            return;
        }

        while (OtlpJson.NextElement(ref reader))
        {
            var resourceSpans = new ResourceSpans();
            request.ResourceSpans.Add(resourceSpans);
            if (!OtlpJson.IsObject(ref reader, "resourceSpans[]"))
            {
                continue;
            }

            while (OtlpJson.NextProperty(ref reader))
            {
                if (OtlpJson.IsProperty(ref reader, "resource"u8))
                {
                    resourceSpans.Resource = ReadResource(ref reader);
                }
                else if (OtlpJson.IsProperty(ref reader, "scopeSpans"u8, "scope_spans"u8))
                {
                    ReadScopeSpans(ref reader, resourceSpans);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static Resource? ReadResource(ref Utf8JsonReader reader)
    {
        if (!OtlpJson.IsObject(ref reader, "resource"))
        {
            return null;
        }

        var resource = new Resource();
        while (OtlpJson.NextProperty(ref reader))
        {
            if (OtlpJson.IsProperty(ref reader, "attributes"u8))
            {
                OtlpJsonValueReader.ReadKeyValues(ref reader, resource.Attributes, "resource.attributes");
            }
            else
            {
                reader.Skip();
            }
        }

        return resource;
    }

    private static void ReadScopeSpans(ref Utf8JsonReader reader, ResourceSpans resourceSpans)
    {
        if (!OtlpJson.IsArray(ref reader, "scopeSpans"))
        {
            return;
        }

        while (OtlpJson.NextElement(ref reader))
        {
            var scopeSpans = new ScopeSpans();
            resourceSpans.ScopeSpans.Add(scopeSpans);
            if (!OtlpJson.IsObject(ref reader, "scopeSpans[]"))
            {
                continue;
            }

            while (OtlpJson.NextProperty(ref reader))
            {
                if (OtlpJson.IsProperty(ref reader, "spans"u8))
                {
                    ReadSpans(ref reader, scopeSpans);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static void ReadSpans(ref Utf8JsonReader reader, ScopeSpans scopeSpans)
    {
        if (!OtlpJson.IsArray(ref reader, "spans"))
        {
            return;
        }

        while (OtlpJson.NextElement(ref reader))
        {
            if (!OtlpJson.IsObject(ref reader, "spans[]"))
            {
                throw OtlpJson.Unexpected(ref reader, "spans[]", "an object");
            }

            scopeSpans.Spans.Add(ReadSpan(ref reader));
        }
    }

    private static Span ReadSpan(ref Utf8JsonReader reader)
    {
        var span = new Span();
        while (OtlpJson.NextProperty(ref reader))
        {
            if (OtlpJson.IsProperty(ref reader, "traceId"u8, "trace_id"u8))
            {
                span.TraceId = OtlpJsonScalars.Id(ref reader, "traceId");
            }
            else if (OtlpJson.IsProperty(ref reader, "spanId"u8, "span_id"u8))
            {
                span.SpanId = OtlpJsonScalars.Id(ref reader, "spanId");
            }
            else if (OtlpJson.IsProperty(ref reader, "name"u8))
            {
                span.Name = OtlpJsonScalars.String(ref reader, "name");
            }
            else if (OtlpJson.IsProperty(ref reader, "startTimeUnixNano"u8, "start_time_unix_nano"u8))
            {
                span.StartTimeUnixNano = OtlpJsonScalars.UInt64(ref reader, "startTimeUnixNano");
            }
            else if (OtlpJson.IsProperty(ref reader, "endTimeUnixNano"u8, "end_time_unix_nano"u8))
            {
                span.EndTimeUnixNano = OtlpJsonScalars.UInt64(ref reader, "endTimeUnixNano");
            }
            else if (OtlpJson.IsProperty(ref reader, "attributes"u8))
            {
                OtlpJsonValueReader.ReadKeyValues(ref reader, span.Attributes, "span attributes");
            }
            else
            {
                reader.Skip();
            }
        }

        return span;
    }
}
