using Google.Protobuf;
using Metering.Ingestion.Otlp;
using static Metering.Ingestion.Tests.Spans;

namespace Metering.Ingestion.Tests;

public sealed class OtlpJsonTests
{
    /// <summary>An export as the OTLP/JSON spec writes it: hex ids, int64 as strings, enums as integers.</summary>
    private const string Export = """
        {
          "resourceSpans": [{
            "resource": { "attributes": [
              { "key": "service.name", "value": { "stringValue": "support-bot" } },
              { "key": "tenant.id", "value": { "stringValue": "acme" } }
            ], "droppedAttributesCount": 0 },
            "scopeSpans": [{
              "scope": { "name": "openai-instrumentation", "version": "1.0" },
              "spans": [
                {
                  "traceId": "5B8EFFF798038103D269B633813FC60C",
                  "spanId": "eee19b7ec3c1b174",
                  "parentSpanId": "eee19b7ec3c1b173",
                  "name": "chat gpt-5",
                  "kind": 3,
                  "startTimeUnixNano": "1795953600000000000",
                  "endTimeUnixNano": 1795953601000000000,
                  "attributes": [
                    { "key": "gen_ai.operation.name", "value": { "stringValue": "chat" } },
                    { "key": "gen_ai.system", "value": { "stringValue": "openai" } },
                    { "key": "gen_ai.request.model", "value": { "stringValue": "gpt-5" } },
                    { "key": "gen_ai.usage.input_tokens", "value": { "intValue": "1200" } },
                    { "key": "gen_ai.usage.output_tokens", "value": { "intValue": 300 } },
                    { "key": "gen_ai.usage.cache_read.input_tokens", "value": { "stringValue": "200" } },
                    { "key": "gen_ai.request.max_tokens", "value": { "doubleValue": 1024.0 } },
                    { "key": "gen_ai.request.stop_sequences", "value": { "arrayValue": { "values": [{ "stringValue": "\n" }] } } },
                    { "key": "extra", "value": { "kvlistValue": { "values": [{ "key": "k", "value": { "boolValue": true } }] } } },
                    { "key": "blob", "value": { "bytesValue": "AQID" } }
                  ],
                  "events": [{ "timeUnixNano": "1795953600500000000", "name": "gen_ai.content.prompt" }],
                  "status": { "code": 1 },
                  "somethingNew": { "nested": [1, 2, 3] }
                },
                { "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "0102030405060708", "name": "GET /" }
              ]
            }]
          }]
        }
        """;

    [Fact]
    public void An_OTLP_JSON_export_maps_like_protobuf_with_hex_ids_and_string_or_number_int64s()
    {
        var batch = Events.ReadJson(Export);

        Assert.Equal((2, 1, 1), (batch.Spans, batch.GenAiSpans, batch.IgnoredSpans));
        var usage = Assert.Single(Events.AsConsumed(batch)).Usage!;
        Assert.Equal(EventId, usage.EventId);
        Assert.Equal("acme", usage.TenantId);
        Assert.Equal(("openai", "gpt-5"), (usage.Provider, usage.Model));
        Assert.Equal((1200, 300, 200, 1024L), (usage.PromptTokens, usage.CompletionTokens, usage.CachedTokens, usage.MaxTokens));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero), usage.OccurredAt);
        Assert.Equal("support-bot", usage.Service);
    }

    [Fact]
    public void Protobuf_and_JSON_of_the_same_export_give_the_same_events()
    {
        var request = Spans.Export([Attribute("tenant.id", "acme")], Chat(), Http());
        var json = new JsonFormatter(JsonFormatter.Settings.Default).Format(request)
            .Replace(Convert.ToBase64String(Convert.FromHexString(TraceIdHex)), TraceIdHex, StringComparison.Ordinal)
            .Replace(Convert.ToBase64String(Convert.FromHexString(SpanIdHex)), SpanIdHex, StringComparison.Ordinal);

        var fromJson = Events.ReadJson(json);

        Assert.Contains(TraceIdHex, json, StringComparison.Ordinal);
        Assert.Equal(Events.ReadProtobuf(request).Events, fromJson.Events);
    }

    [Fact]
    public void Ids_in_base64_as_protobufs_own_JSON_mapping_writes_them_are_read_too()
    {
        var request = Spans.Export(Chat());
        var json = new JsonFormatter(JsonFormatter.Settings.Default).Format(request);

        var e = Events.Single(Events.ReadJson(json));

        Assert.Equal(EventId, e.GetProperty("eventId").GetString());
    }

    [Fact]
    public void Snake_case_proto_field_names_are_accepted()
    {
        var json = Export.Replace("resourceSpans", "resource_spans", StringComparison.Ordinal)
            .Replace("scopeSpans", "scope_spans", StringComparison.Ordinal)
            .Replace("startTimeUnixNano", "start_time_unix_nano", StringComparison.Ordinal)
            .Replace("\"intValue\"", "\"int_value\"", StringComparison.Ordinal);

        Assert.Equal(Events.ReadJson(Export).Events, Events.ReadJson(json).Events);
    }

    [Fact]
    public void Nulls_and_empty_collections_are_absent_values()
    {
        var batch = Events.ReadJson("""
            { "resourceSpans": [ { "resource": null, "scopeSpans": [ { "spans": [] }, { "spans": null } ] }, {} ] }
            """);

        Assert.Equal((0, 0, 0), (batch.Spans, batch.GenAiSpans, batch.IgnoredSpans));
    }

    [Fact]
    public void An_empty_export_object_has_no_spans()
    {
        var batch = Events.ReadJson("{}");

        Assert.Equal("[]"u8.ToArray(), batch.Events);
        Assert.Equal(0, batch.Spans);
    }

    [Fact]
    public void A_byte_order_mark_before_the_JSON_is_allowed()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. "{}"u8];

        Assert.Equal(0, OtlpTraces.Read(body, OtlpEncoding.Json).Spans);
    }
}
