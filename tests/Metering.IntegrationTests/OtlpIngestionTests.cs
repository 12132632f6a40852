using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Metering.IntegrationTests.Harness;
using Metering.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Metering.IntegrationTests;

/// <summary>
/// <c>POST /v1/traces</c> (SPEC §14) with the OpenTelemetry .NET SDK's own OTLP/HTTP exporter as the client: GenAI
/// spans are metered once per trace and span id, other spans are ignored and counted, broken spans are kept.
/// </summary>
public sealed class OtlpIngestionTests : MeteringTest
{
    private static readonly ActivitySource Source = new("Metering.IntegrationTests.Otlp");

    [Fact]
    public async Task GenAI_spans_from_the_real_exporter_are_metered_once_though_exported_twice_and_other_spans_are_ignored_and_counted()
    {
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();

        // A process of its own: the ignored-span counter is process-wide, and other tests' APIs run in this one.
        var port = Ports.Free();
        var api = Environment.StartApiProcess(("Urls", $"http://127.0.0.1:{port}"));
        var service = new Uri($"http://127.0.0.1:{port}");
        using var scrape = new HttpClient { BaseAddress = service };
        await Eventually.Until(() => Live(scrape), live => live, () => $"the API answers; it wrote: {api.RecentOutput}");

        var key = await Environment.CreateKeyAsync("ingest");
        var exporter = new OtlpTraceExporter(new OtlpExporterOptions
        {
            Endpoint = new Uri(service, "/v1/traces"),
            Protocol = OtlpExportProtocol.HttpProtobuf,
            Headers = $"Authorization=Bearer {key}",
            TimeoutMilliseconds = 10_000,
        });
        var chats = new List<Activity>();
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .AddSource(Source.Name)
                   .SetSampler(new AlwaysOnSampler())
                   .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("support-bot").AddAttributes([new("tenant.id", "acme")]))
                   .AddProcessor(new SimpleActivityExportProcessor(exporter))
                   .Build())
        {
            using (Source.StartActivity("POST /chat", ActivityKind.Server))
            {
                for (var i = 0; i < 3; i++)
                {
                    using var chat = Chat(prompt: 1_000 * (i + 1), completion: 100);
                    chats.Add(chat);
                }
            }

            Assert.True(provider.ForceFlush(10_000));

            // What an exporter retry or a collector's replay does: the same spans, posted again.
            Assert.Equal(ExportResult.Success, exporter.Export(new Batch<Activity>([.. chats], chats.Count)));

            // Exported last, metered last: once it is in the ledger, the replay before it has been consumed.
            using (var last = Chat(prompt: 7, completion: 7))
            {
                chats.Add(last);
            }

            Assert.True(provider.ForceFlush(10_000));
        }

        await Environment.WaitForAsync(entries: 4);
        var billed = await Environment.Database.QueryAsync(
            "SELECT event_id, prompt_tokens FROM ledger_entries ORDER BY prompt_tokens", r => (r.GetString(0), r.GetInt64(1)));
        Assert.Equal(
            chats.OrderBy(c => (int)c.GetTagItem("gen_ai.usage.input_tokens")!)
                .Select(c => ($"{c.TraceId.ToHexString()}-{c.SpanId.ToHexString()}", (long)(int)c.GetTagItem("gen_ai.usage.input_tokens")!)),
            billed);
        Assert.Equal(0, await Environment.RejectedCountAsync());

        var metrics = await scrape.GetStringAsync("/metrics");
        Assert.Equal(1, Prometheus.Sample(metrics, "metering_ingest_spans_ignored_total"));
        Assert.Equal(7, Prometheus.Sample(metrics, "metering_ingest_events_total", "outcome=\"accepted\""));
    }

    [Fact]
    public async Task OTLP_JSON_is_answered_in_JSON_with_the_refused_spans_counted_and_kept_and_broken_exports_refused()
    {
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();
        var ingest = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest"));
        var body = $$$"""
            {"resourceSpans": [
              {"resource": {"attributes": [{"key": "tenant.id", "value": {"stringValue": "acme"}}]},
               "scopeSpans": [{"spans": [{{{Span("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", 1200)}}}]}]},
              {"scopeSpans": [{"spans": [{{{Span("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", 5)}}}]}]}
            ]}
            """;

        var response = await ingest.PostAsync("/v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var partial = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["partialSuccess"]!;
        Assert.Equal("1", partial["rejectedSpans"]!.ToString());
        Assert.Contains("tenantId is required", (string)partial["errorMessage"]!, StringComparison.Ordinal);

        await Environment.WaitForAsync(entries: 1, rejected: 1);
        Assert.Equal(["0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331"], (await Environment.CostsByEventAsync("acme")).Keys);
        Assert.Equal(
            "0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7",
            await Environment.Database.ScalarAsync<string>("SELECT event_id FROM rejected_events"));

        var notProtobuf = new ByteArrayContent([0xFF, 0xFF, 0xFF]);
        notProtobuf.Headers.ContentType = new("application/x-protobuf");
        Assert.Equal(HttpStatusCode.BadRequest, (await ingest.PostAsync("/v1/traces", notProtobuf)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ingest.PostAsync("/v1/traces", new StringContent("{\"resourceSpans\": {}}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ingest.PostAsync("/v1/traces", new StringContent(body, Encoding.UTF8, "text/plain"))).StatusCode);
    }

    [Fact]
    public async Task A_tenant_bound_ingest_key_cannot_export_another_tenants_spans()
    {
        var globex = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest", "globex"));
        var body = $$$"""
            {"resourceSpans": [{"resource": {"attributes": [{"key": "tenant.id", "value": {"stringValue": "acme"}}]},
              "scopeSpans": [{"spans": [{{{Span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 10)}}}]}]}]}
            """;

        var response = await globex.PostAsync("/v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var detail = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!;
        Assert.Contains("may write only tenant 'globex'", detail, StringComparison.Ordinal);
    }

    private Activity Chat(int prompt, int completion)
    {
        var chat = Source.StartActivity("chat gpt-4o", ActivityKind.Client)!;
        chat.SetTag("gen_ai.operation.name", "chat");
        chat.SetTag("gen_ai.provider.name", "openai");
        chat.SetTag("gen_ai.request.model", "gpt-4o");
        chat.SetTag("gen_ai.usage.input_tokens", prompt);
        chat.SetTag("gen_ai.usage.output_tokens", completion);
        return chat;
    }

    private static string Span(string traceId, string spanId, int prompt) => $$$"""
        {"traceId": "{{{traceId}}}", "spanId": "{{{spanId}}}", "name": "chat gpt-4o", "kind": 3,
         "startTimeUnixNano": "{{{(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)}}}",
         "attributes": [
           {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
           {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
           {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "{{{prompt}}}"}},
           {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 20}}]}
        """;

    private static async Task<bool> Live(HttpClient client)
    {
        try
        {
            return (await client.GetAsync("/health/live")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
