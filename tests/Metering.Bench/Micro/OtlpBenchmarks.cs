using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Metering.Ingestion.Otlp;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Metering.Bench.Micro;

/// <summary>
/// Reading one OTLP/HTTP export of 5,000 spans (SPEC §14: ≥ 5,000 spans/s), half of them GenAI calls, as protobuf
/// and as OTLP/JSON. One read should take a few milliseconds, far under the second the target allows.
/// </summary>
[MemoryDiagnoser]
public class OtlpBenchmarks
{
    private const int Spans = 5_000;

    private byte[] protobuf = [];
    private byte[] json = [];

    [GlobalSetup]
    public void Setup()
    {
        var request = Export();
        protobuf = request.ToByteArray();
        json = System.Text.Encoding.UTF8.GetBytes(HexIds(JsonFormatter.Default.Format(request), request));
    }

    [Benchmark]
    public int ReadProtobuf() => OtlpTraces.Read(protobuf, OtlpEncoding.Protobuf).Events.Length;

    [Benchmark]
    public int ReadJson() => OtlpTraces.Read(json, OtlpEncoding.Json).Events.Length;

    private static ExportTraceServiceRequest Export()
    {
        var random = new Random(42);
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "bench" } };
        for (var i = 0; i < Spans; i++)
        {
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(RandomBytes(random, 16)),
                SpanId = ByteString.CopyFrom(RandomBytes(random, 8)),
                Name = i % 2 == 0 ? "chat gpt-4o" : "GET /orders",
                StartTimeUnixNano = 1_795_953_600_000_000_000UL + ((ulong)i * 1_000_000),
            };
            span.Attributes.Add(Attribute("http.route", "/orders"));
            if (i % 2 == 0)
            {
                span.Attributes.Add(Attribute("gen_ai.operation.name", "chat"));
                span.Attributes.Add(Attribute("gen_ai.provider.name", "openai"));
                span.Attributes.Add(Attribute("gen_ai.response.model", "gpt-4o"));
                span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.input_tokens", Value = new AnyValue { IntValue = 1200 + i } });
                span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.output_tokens", Value = new AnyValue { IntValue = 300 } });
                span.Attributes.Add(Attribute("tenant.id", $"tenant-{i % 50}"));
            }

            scope.Spans.Add(span);
        }

        var resource = new Resource();
        resource.Attributes.Add(Attribute("service.name", "support-bot"));
        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    /// <summary>Protobuf's JSON mapping writes ids in base64; OTLP/JSON writes them in hex.</summary>
    private static string HexIds(string json, ExportTraceServiceRequest request)
    {
        var text = new System.Text.StringBuilder(json);
        foreach (var span in request.ResourceSpans[0].ScopeSpans[0].Spans)
        {
            text.Replace($"\"{span.TraceId.ToBase64()}\"", $"\"{Convert.ToHexStringLower(span.TraceId.Span)}\"");
            text.Replace($"\"{span.SpanId.ToBase64()}\"", $"\"{Convert.ToHexStringLower(span.SpanId.Span)}\"");
        }

        return text.ToString();
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
