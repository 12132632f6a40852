using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Metering.Ingestion.Tests;

/// <summary>Hand-built OTLP trace exports.</summary>
internal static class Spans
{
    public const string TraceIdHex = "5b8efff798038103d269b633813fc60c";
    public const string SpanIdHex = "eee19b7ec3c1b174";
    public const string EventId = TraceIdHex + "-" + SpanIdHex;

    /// <summary>2026-11-29T12:00:00Z in unix nanoseconds.</summary>
    public const ulong StartNanos = 1_795_953_600_000_000_000;

    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Attribute(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    public static KeyValue Attribute(string key, double value) => new() { Key = key, Value = new AnyValue { DoubleValue = value } };

    public static KeyValue Attribute(string key, bool value) => new() { Key = key, Value = new AnyValue { BoolValue = value } };

    /// <summary>A chat call as the semantic conventions describe it, billed to acme.</summary>
    public static Span Chat(params KeyValue[] extra)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(TraceIdHex)),
            SpanId = ByteString.CopyFrom(Convert.FromHexString(SpanIdHex)),
            Name = "chat deepseek-v4-pro",
            Kind = Span.Types.SpanKind.Client,
            StartTimeUnixNano = StartNanos,
            EndTimeUnixNano = StartNanos + 1_500_000_000,
        };
        span.Attributes.Add(Attribute("gen_ai.operation.name", "chat"));
        span.Attributes.Add(Attribute("gen_ai.provider.name", "deepseek"));
        span.Attributes.Add(Attribute("gen_ai.request.model", "deepseek-v4"));
        span.Attributes.Add(Attribute("gen_ai.response.model", "deepseek-v4-pro"));
        span.Attributes.Add(Attribute("gen_ai.usage.input_tokens", 12000L));
        span.Attributes.Add(Attribute("gen_ai.usage.output_tokens", 800L));
        span.Attributes.Add(Attribute("gen_ai.usage.cache_read.input_tokens", 9000L));
        span.Attributes.Add(Attribute("gen_ai.request.max_tokens", 1024L));
        span.Attributes.Add(Attribute("gen_ai.response.id", "req-123"));
        span.Attributes.Add(Attribute("tenant.id", "acme"));
        span.Attributes.AddRange(extra);
        return span;
    }

    /// <summary>A span that is not a GenAI call: an HTTP server span.</summary>
    public static Span Http()
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(TraceIdHex)),
            SpanId = ByteString.CopyFrom(Convert.FromHexString("0102030405060708")),
            Name = "POST /chat",
            StartTimeUnixNano = StartNanos,
        };
        span.Attributes.Add(Attribute("http.request.method", "POST"));
        return span;
    }

    /// <summary>The span with the attributes of <paramref name="keys"/> removed.</summary>
    public static Span Without(this Span span, params string[] keys)
    {
        var copy = span.Clone();
        copy.Attributes.Clear();
        copy.Attributes.AddRange(span.Attributes.Where(a => !keys.Contains(a.Key)));
        return copy;
    }

    /// <summary>The span with one attribute replaced (or added).</summary>
    public static Span With(this Span span, KeyValue attribute) => span.Without(attribute.Key).Adding(attribute);

    private static Span Adding(this Span span, KeyValue attribute)
    {
        span.Attributes.Add(attribute);
        return span;
    }

    /// <summary>One resource (service support-bot, plus <paramref name="resourceAttributes"/>) holding the spans.</summary>
    public static ExportTraceServiceRequest Export(IEnumerable<KeyValue> resourceAttributes, params Span[] spans)
    {
        var resource = new Resource();
        resource.Attributes.Add(Attribute("service.name", "support-bot"));
        resource.Attributes.AddRange(resourceAttributes);
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Metering.Tests" } };
        scope.Spans.AddRange(spans);
        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    public static ExportTraceServiceRequest Export(params Span[] spans) => Export([], spans);
}
