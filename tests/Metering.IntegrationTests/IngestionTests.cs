using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// <c>POST /v1/events</c> (SPEC §14): a 202 is RabbitMQ's confirm, so what was accepted is metered even through a
/// killed worker; broken items are answered per item and still kept; an ingest key writes and reads nothing else.
/// </summary>
public sealed class IngestionTests : MeteringTest
{
    [Fact]
    public async Task Every_batch_answered_202_is_billed_once_though_the_worker_is_killed_and_restarted()
    {
        var stream = Usage.MixedStream(Scale.Of(3_000, 30_000), "http", maxPrompt: 3_000);
        var worker = Environment.StartWorkerProcess();
        await Environment.Vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);
        var ingest = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest"));

        var batches = stream.Chunk(100).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            var response = await ingest.PostAsync("/v1/events", Json(batches[i]));
            var body = await response.JsonAsync();
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(100, (int)body["accepted"]!);
            if (i == batches.Count / 2)
            {
                await worker.KillAsync();
                worker = Environment.StartWorkerProcess();
            }
        }

        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    [Fact]
    public async Task Broken_items_are_answered_400_one_error_each_and_kept_as_rejections_with_their_identity()
    {
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();
        var ingest = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest"));
        var body = $$"""
            [{{MeteringEnvironment.Json(Usage.Event("good"))}},
             {"eventId": "no-tenant", "provider": "openai", "model": "gpt-4o", "promptTokens": 1, "completionTokens": 1, "occurredAt": "2026-11-29T12:00:00Z"},
             {{MeteringEnvironment.Json(Usage.Event("negative", prompt: 5)).Replace("\"promptTokens\":5", "\"promptTokens\":-5", StringComparison.Ordinal)}}]
            """;

        var response = await ingest.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)answer["accepted"]!);
        Assert.Equal(2, (int)answer["rejected"]!);
        var errors = answer["errors"]!.AsArray();
        Assert.Equal([1, 2], errors.Select(e => (int)e!["index"]!));
        Assert.Contains("tenantId is required", (string)errors[0]!["message"]!, StringComparison.Ordinal);
        Assert.Equal("negative", (string)errors[1]!["eventId"]!);

        await Environment.WaitForAsync(entries: 1, rejected: 2);
        var kept = await Environment.Database.QueryAsync(
            "SELECT event_id, tenant_id, code FROM rejected_events ORDER BY position",
            r => (Event: r.GetString(0), Tenant: r.IsDBNull(1) ? null : r.GetString(1), Code: r.GetString(2)));
        Assert.Equal([("no-tenant", null, "invalid"), ("negative", "acme", "invalid")], kept);
    }

    [Fact]
    public async Task CloudEvents_structured_and_batch_and_gzip_bodies_are_metered_with_the_cloud_events_id_and_time()
    {
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();
        var ingest = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest", "acme"));
        var data = """{"tenantId": "acme", "provider": "openai", "model": "gpt-4o", "promptTokens": 1000, "completionTokens": 10}""";
        string Cloud(string id) => $$"""{"specversion": "1.0", "id": "{{id}}", "source": "/gateway", "type": "com.metering.token-usage", "time": "{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}", "datacontenttype": "application/json", "data": {{data}}}""";

        var structured = await ingest.PostAsync("/v1/events", new StringContent(Cloud("ce-1"), Encoding.UTF8, "application/cloudevents+json"));
        var batch = await ingest.PostAsync("/v1/events", new StringContent($"[{Cloud("ce-2")}, {Cloud("ce-3")}]", Encoding.UTF8, "application/cloudevents-batch+json"));
        var zipped = await ingest.PostAsync("/v1/events", Gzip(JsonText([Usage.Event("gz-1"), Usage.Event("gz-2")])));

        Assert.Equal(HttpStatusCode.Accepted, structured.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, zipped.StatusCode);
        await Environment.WaitForAsync(entries: 5);
        Assert.Equal(["ce-1", "ce-2", "ce-3", "gz-1", "gz-2"], (await Environment.CostsByEventAsync("acme")).Keys.Order());
        Assert.Equal(0, await Environment.RejectedCountAsync());
    }

    [Fact]
    public async Task A_tenant_bound_ingest_key_writes_only_its_tenant_and_an_ingest_key_reads_nothing()
    {
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();
        var api = Environment.StartApi();
        var acme = api.As(await Environment.CreateKeyAsync("ingest", "acme"));

        var foreign = await acme.PostAsync("/v1/events", Json([Usage.Event("mine"), Usage.Event("theirs", tenant: "globex")]));
        var detail = (string)(await foreign.ProblemAsync(403))["detail"]!;
        Assert.Contains("globex", detail, StringComparison.Ordinal);

        // Published after the refused request: once it is metered, the refused one would have been too.
        Assert.Equal(HttpStatusCode.Accepted, (await acme.PostAsync("/v1/events", Json([Usage.Event("later")]))).StatusCode);
        await Environment.WaitForAsync(entries: 1);
        Assert.Equal(["later"], (await Environment.CostsByEventAsync()).Keys.Select(k => k.Split('/')[1]));
        Assert.Equal(0, await Environment.RejectedCountAsync());

        foreach (var url in new[] { "/v1/tenants/acme", "/v1/tenants/acme/ledger", "/v1/usage", "/v1/rejections", "/v1/catalog" })
        {
            await (await acme.GetAsync(url)).ProblemAsync(403);
        }

        var tenantKey = api.As(await Environment.CreateKeyAsync("tenant", "acme"));
        await (await tenantKey.PostAsync("/v1/events", Json([Usage.Event("by-reader")]))).ProblemAsync(403);
    }

    [Fact]
    public async Task Hostile_bodies_are_refused_with_a_clear_status_and_the_service_stays_up()
    {
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();
        var ingest = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest"));

        var huge = new ByteArrayContent(new byte[9 * 1024 * 1024]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await (await ingest.PostAsync("/v1/events", huge)).ProblemAsync(413);

        var bomb = Gzip(new string(' ', 64 * 1024 * 1024));
        Assert.True(bomb.Headers.ContentLength < 1024 * 1024);
        await (await ingest.PostAsync("/v1/events", bomb)).ProblemAsync(413);

        var badGzip = new ByteArrayContent("not gzip at all"u8.ToArray());
        badGzip.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        badGzip.Headers.ContentEncoding.Add("gzip");
        await (await ingest.PostAsync("/v1/events", badGzip)).ProblemAsync(400);

        var brotli = new StringContent("[]", Encoding.UTF8, "application/json");
        brotli.Headers.ContentEncoding.Add("br");
        await (await ingest.PostAsync("/v1/events", brotli)).ProblemAsync(415);
        await (await ingest.PostAsync("/v1/events", new StringContent("eventId=1", Encoding.UTF8, "text/plain"))).ProblemAsync(415);

        // Read, answered 400 and kept as a rejection like any malformed message: nesting past 64, bytes that are not
        // UTF-8, UTF-16 text, more than 1,000 events.
        string[] bodies = [new string('[', 10_000) + new string(']', 10_000)];
        var latin1 = new ByteArrayContent([.. "{\"eventId\": \"caf"u8, 0xE9, .. "\"}"u8]);
        latin1.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var utf16 = new ByteArrayContent(Encoding.Unicode.GetBytes(MeteringEnvironment.Json(Usage.Event("utf16"))));
        utf16.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpContent[] malformed =
        [
            new StringContent(bodies[0], Encoding.UTF8, "application/json"), latin1, utf16,
            Json(Enumerable.Range(0, 1_001).Select(i => Usage.Event($"many-{i}")).ToList()),
        ];
        foreach (var content in malformed)
        {
            var response = await ingest.PostAsync("/v1/events", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(1, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["rejected"]!);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await ingest.PostAsync("/v1/events", Json([Usage.Event("still-up")]))).StatusCode);
        await Environment.WaitForAsync(entries: 1, rejected: malformed.Length);
        Assert.Equal(malformed.Length, await Environment.RejectedCountAsync());
    }

    private static StringContent Json(IReadOnlyList<TokenUsage> events) => new(JsonText(events), Encoding.UTF8, "application/json");

    private static string JsonText(IReadOnlyList<TokenUsage> events) => "[" + string.Join(',', events.Select(MeteringEnvironment.Json)) + "]";

    private static ByteArrayContent Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            zip.Write(Encoding.UTF8.GetBytes(text));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
