using System.Net;
using System.Text;
using Metering.IntegrationTests.Harness;

namespace Metering.IntegrationTests;

/// <summary>The community catalog through the running services (SPEC §13): names as producers send them, imports, paging.</summary>
public sealed class CatalogTests : MeteringTest
{
    [Fact]
    public async Task A_dated_snapshot_is_metered_with_the_model_as_sent_the_model_priced_as_and_its_reasoning_tokens()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(
            Usage.Event("snapshot", provider: "anthropic", model: "claude-sonnet-4-5-20250929", prompt: 1_000_000, completion: 100_000) with { ReasoningTokens = 60_000 }));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("exact", provider: "openai", model: "gpt-4o", prompt: 1_000_000, completion: 0)));
        await Environment.WaitForAsync(entries: 2);

        var entries = (await api.GetJsonAsync("/v1/tenants/acme/ledger"))["items"]!.AsArray();
        var snapshot = entries.Single(e => (string?)e!["eventId"] == "snapshot")!;
        var exact = entries.Single(e => (string?)e!["eventId"] == "exact")!;
        var summary = await api.GetJsonAsync("/v1/tenants/acme/cycles/current");
        var invoice = await api.GetJsonAsync("/v1/tenants/acme/cycles/current/invoice");

        Assert.Equal(("claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5"), ((string?)snapshot["model"], (string?)snapshot["pricedAs"]));
        Assert.Equal("starts_with:claude-sonnet-4-5", (string?)snapshot["matchedBy"]);
        Assert.StartsWith("anthropic/claude-sonnet-4-5@", (string?)snapshot["priceEntry"], StringComparison.Ordinal);
        Assert.Equal(60_000, (long)snapshot["tokens"]!["reasoning"]!);
        Assert.Null((string?)exact["matchedBy"]);
        Assert.Equal("2.5", (string?)exact["cost"]);
        Assert.Equal(60_000, (long)summary["reasoningTokens"]!);
        Assert.Equal(60_000, (long)invoice["reasoningTokens"]!);
        Assert.Contains(invoice["lines"]!.AsArray(), l => (string?)l!["model"] == "claude-sonnet-4-5-20250929" && (string?)l["pricedAs"] == "anthropic/claude-sonnet-4-5");
    }

    [Fact]
    public async Task An_imported_dataset_adds_new_models_and_changed_prices_as_new_entries_and_a_second_import_adds_nothing()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        const string Dataset =
            """
            { "package": "@pydantic/genai-prices", "version": "9.9.9", "extractedAt": "2026-12-03", "providers": [
              { "id": "anthropic", "models": [
                { "id": "claude-2", "match": { "starts_with": "claude-2" }, "prices": { "input_mtok": 7, "output_mtok": 21 } } ] },
              { "id": "acme-llm", "models": [
                { "id": "rocket-1", "match": { "or": [ { "equals": "rocket-1" }, { "starts_with": "rocket-1-" } ] },
                  "prices": { "input_mtok": 1.5, "output_mtok": { "base": 6, "tiers": [ { "start": 128000, "price": 9 } ] } } },
                { "id": "voice", "match": { "equals": "voice" }, "prices": { "audio_hours": 1 } } ] },
              { "id": "openai", "models": [
                { "id": "gpt-4o", "match": { "equals": "gpt-4o" }, "prices": { "input_mtok": 99, "output_mtok": 99 } } ] } ] }
            """;

        var first = await Import(api, Dataset);
        var second = await Import(api, Dataset);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var report = await first.JsonAsync();
        Assert.Equal(2, (int)report["added"]!);
        Assert.Contains(report["addedEntries"]!.AsArray(), e => (string?)e == "acme-llm/rocket-1@1970-01-01T00:00:00Z");
        Assert.Contains(report["addedEntries"]!.AsArray(), e => ((string?)e)!.StartsWith("anthropic/claude-2@2026-", StringComparison.Ordinal));
        Assert.Equal(["openai/gpt-4o"], report["kept"]!.AsArray().Select(k => (string?)k));
        Assert.Single(report["skipped"]!.AsArray());
        Assert.Equal(0, (int)(await second.JsonAsync())["added"]!);

        var rocket = await api.GetJsonAsync("/v1/catalog?provider=acme-llm");
        Assert.Equal(1, (int)rocket["total"]!);
        Assert.Equal("9", (string?)rocket["prices"]![0]!["contextTiers"]![0]!["outputPerMillion"]);
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("rocket", provider: "acme-llm", model: "rocket-1-2026-12-01", prompt: 200_000, completion: 1_000_000)));
        await Environment.WaitForAsync(entries: 1);
        Assert.Equal(0.3m + 9m, await Environment.Database.ScalarAsync<decimal>("SELECT cost FROM ledger_entries WHERE event_id = 'rocket'"));
    }

    [Fact]
    public async Task The_catalog_pages_and_filters_and_only_an_admin_imports()
    {
        var api = Environment.StartApi();
        var admin = api.Admin();

        var page = await admin.GetJsonAsync("/v1/catalog?provider=anthropic&limit=5");
        var next = await admin.GetJsonAsync($"/v1/catalog?provider=anthropic&limit=5&cursor={Uri.EscapeDataString((string)page["nextCursor"]!)}");
        var sonnet = await admin.GetJsonAsync("/v1/catalog?model=SONNET-4-5");

        Assert.Equal(5, page["prices"]!.AsArray().Count);
        Assert.True((int)page["total"]! > 10);
        Assert.Empty(page["prices"]!.AsArray().Select(p => (string?)p!["model"]).Intersect(next["prices"]!.AsArray().Select(p => (string?)p!["model"])));
        Assert.All(sonnet["prices"]!.AsArray(), p => Assert.Contains("sonnet", ((string?)p!["model"] + p["match"]?.ToJsonString()).ToLowerInvariant(), StringComparison.Ordinal));
        await (await admin.GetAsync("/v1/catalog?cursor=nope")).ProblemAsync(400);
        await (await admin.GetAsync("/v1/catalog?limit=0")).ProblemAsync(400);
        await (await Import(admin, "{ not json")).ProblemAsync(400);
        await (await Import(admin, """{ "providers": [ { "id": "p", "models": [ { "id": "m", "match": { "regex": "([" }, "prices": { "input_mtok": 1 } } ] } ] }""")).ProblemAsync(400);
        var billing = api.As(await Environment.CreateKeyAsync("billing"));
        await (await Import(billing, "[]")).ProblemAsync(403);
    }

    private static Task<HttpResponseMessage> Import(HttpClient api, string dataset) =>
        api.PostAsync("/v1/catalog/import?from=genai-prices", new StringContent(dataset, Encoding.UTF8, "application/json"));
}
