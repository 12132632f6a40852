using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Metering.Cli.Pricing;
using Metering.Contracts;
using Metering.Pricing.Catalog;

namespace Metering.Pricing.Tests;

/// <summary>The <c>price</c> command of SPEC §10, run as a process.</summary>
public sealed class PriceCommandTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("metering-cli-");

    public void Dispose() => scratch.Delete(recursive: true);

    [Fact]
    public async Task Worked_example_gpt_4o_costs_2250()
    {
        var summary = Assert.Single(await MeteringCli.PriceAsync(Lines(WorkedExamples.Gpt4o()), "--summary"));

        Assert.Equal("2250", (string?)summary["totalCost"]);
        Assert.Equal(6, (int?)summary["events"]);
        Assert.Equal(0, (int?)summary["rejected"]);
        Assert.Equal("2250", (string?)summary["byProvider"]!["openai"]);
        Assert.Equal("2250", (string?)summary["byModel"]!["gpt-4o"]);
    }

    [Theory]
    [InlineData(0, "392")]
    [InlineData(0.75, "208.25")]
    public async Task Worked_examples_flat_deepseek_with_a_replacement_catalog(decimal cachedShare, string expected)
    {
        var catalog = Write("flat.json", CatalogJson.Write(WorkedExamples.FlatDeepSeekCatalog));

        var summary = Assert.Single(await MeteringCli.PriceAsync(Lines(WorkedExamples.DeepSeek(cachedShare)), "--summary", "--catalog", catalog));

        Assert.Equal(expected, (string?)summary["totalCost"]);
    }

    [Fact]
    public async Task Worked_example_new_customer_pays_35_for_150M_input_tokens()
    {
        var tenants = Write("tenants.json", """
            { "tenants": [ { "tenantId": "newco", "cycleAnchorDay": 1, "tierSchedules": { "deepseek": "deepseek-new-customer" } } ] }
            """);

        var lines = await MeteringCli.PriceAsync(Lines(WorkedExamples.NewCustomer()), "--tenants", tenants);

        Assert.Equal(["28", "7"], lines.Select(l => (string?)l["cost"]));
        var second = lines[1]["buckets"]!.AsArray().Single()!;
        Assert.Equal(("input", 1, 50_000_000L, "0.14", "7"), ((string?)second["kind"], (int?)second["tier"], (long?)second["tokens"], (string?)second["ratePerMillion"], (string?)second["amount"]));
    }

    [Fact]
    public async Task Every_non_empty_line_gets_one_output_line_in_input_order()
    {
        var input = string.Join('\n',
            """{"eventId":"a","tenantId":"acme","provider":"openai","model":"gpt-4o","promptTokens":1000,"completionTokens":10,"occurredAt":"2026-11-29T12:00:00Z"}""",
            "",
            "{broken",
            """{"eventId":"a","tenantId":"acme","provider":"openai","model":"gpt-4o","promptTokens":1000,"completionTokens":10,"occurredAt":"2026-11-29T12:00:00Z"}""",
            """{"eventId":"b","tenantId":"acme","provider":"openai","model":"gpt-9","promptTokens":1,"completionTokens":1,"occurredAt":"2026-11-29T12:00:00Z"}""",
            """{"eventId":"c","tenantId":"acme","provider":"openai","model":"gpt-4o","promptTokens":-1,"completionTokens":1,"occurredAt":"2026-11-29T12:00:00Z"}""",
            "   ",
            """{"eventId":"d","tenantId":"acme","provider":"openai","model":"gpt-4o","promptTokens":2000,"completionTokens":0,"cachedTokens":1000,"occurredAt":"2026-11-29T12:00:00Z"}""") + "\n";

        var lines = await MeteringCli.PriceAsync(input);

        Assert.Equal(6, lines.Count);
        Assert.Equal(["a", null, "a", "b", "c", "d"], lines.Select(l => (string?)l["eventId"]));
        Assert.Equal([null, "malformed", "duplicate", "unknown-model", "invalid", null], lines.Select(l => (string?)l["error"]?["code"]));
        Assert.Equal(["eventId", "tenantId", "cycle", "cost", "buckets"], lines[0].Select(p => p.Key));
        Assert.Equal(["eventId", "error"], lines[1].Select(p => p.Key));
        Assert.Equal("2026-11-01", (string?)lines[0]["cycle"]);
        Assert.Equal("0.0026", (string?)lines[0]["cost"]);
        Assert.Equal(["cache-read", "input"], lines[5]["buckets"]!.AsArray().Select(b => (string?)b!["kind"]));
        Assert.Contains("promptTokens", (string?)lines[4]["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_pricing_has_no_arrival_time_so_old_and_future_events_are_priced()
    {
        var lines = await MeteringCli.PriceAsync(Lines(
            [Given.Usage(prompt: 1_000_000, at: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), Given.Usage(prompt: 1_000_000, at: new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))]));

        Assert.Equal(["2.5", "2.5"], lines.Select(l => (string?)l["cost"]));
        Assert.Equal(["2026-01-01", "2030-01-01"], lines.Select(l => (string?)l["cycle"]));
    }

    [Fact]
    public async Task As_reprices_every_event_as_another_provider_and_model()
    {
        var events = Lines([Given.Usage("deepseek", "deepseek-v4-pro", prompt: 1_000_000, cached: 500_000, completion: 100, maxTokens: 4_000)]);

        var line = Assert.Single(await MeteringCli.PriceAsync(events, "--as", "deepinfra/deepseek-v4-pro"));

        // deepinfra has no cache pricing and does not bill reserved output: 1M × 0.48 + 100 × 0.96 per 1M.
        Assert.Equal("0.480096", (string?)line["cost"]);
        Assert.Equal(["cache-read-over-cap", "input", "output"], line["buckets"]!.AsArray().Select(b => (string?)b!["kind"]));
    }

    [Fact]
    public async Task As_to_the_same_provider_and_model_changes_nothing()
    {
        var events = Lines(Enumerable.Range(0, 50).Select(i => Given.Usage("deepseek", "deepseek-v4-pro", prompt: 3_000_000 + i, cached: 200_000, completion: 1_000, maxTokens: 2_048)));

        var plain = await MeteringCli.RunAsync(events, "price");
        var same = await MeteringCli.RunAsync(events, "price", "--as", "deepseek/deepseek-v4-pro");

        Assert.Equal(plain.Output, same.Output);
    }

    [Fact]
    public async Task As_to_the_same_provider_and_model_changes_nothing_for_any_stream()
    {
        await PricingPropertyTests.StreamOfEvents.Select(stream => stream.Select(u => u with { Provider = "deepseek", Model = "deepseek-v4-pro" }).ToArray())
            .SampleAsync(
                async stream =>
                {
                    var input = Lines(stream);
                    Assert.Equal(await PriceInProcess(input, null), await PriceInProcess(input, new ModelTarget("deepseek", "deepseek-v4-pro")));
                },
                iter: 100);
    }

    [Fact]
    public async Task An_unreadable_catalog_exits_non_zero_with_a_message()
    {
        var (exit, output, error) = await MeteringCli.RunAsync("", "price", "--catalog", Path.Combine(scratch.FullName, "missing.json"));

        Assert.NotEqual(0, exit);
        Assert.Empty(output);
        Assert.Contains("missing.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_catalog_exits_non_zero_and_names_the_problem()
    {
        var catalog = Write("broken.json", """{ "prices": [ { "provider": "p", "model": "m", "effectiveFrom": "2026-01-01T00:00:00Z", "inputPerMillion": "-1", "outputPerMillion": "1" } ] }""");

        var (exit, _, error) = await MeteringCli.RunAsync("", "price", "--catalog", catalog);

        Assert.Equal(2, exit);
        Assert.Contains("inputPerMillion must not be negative", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenants_file_naming_an_unknown_schedule_exits_non_zero()
    {
        var tenants = Write("tenants.json", """{ "tenants": [ { "tenantId": "x", "tierSchedules": { "deepseek": "platinum" } } ] }""");

        var (exit, _, error) = await MeteringCli.RunAsync("", "price", "--tenants", tenants);

        Assert.Equal(2, exit);
        Assert.Contains("'platinum'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_input_gives_an_empty_summary()
    {
        var summary = Assert.Single(await MeteringCli.PriceAsync("", "--summary"));

        Assert.Equal(0, (int?)summary["events"]);
        Assert.Equal("0", (string?)summary["totalCost"]);
    }

    private static string Lines(IEnumerable<TokenUsage> events) =>
        string.Concat(events.Select(e => JsonSerializer.Serialize(e, MeteringJson.Options) + "\n"));

    private static async Task<string> PriceInProcess(string input, ModelTarget? repriceAs)
    {
        var output = new StringWriter();
        await new OfflinePricer(PriceCatalog.Default, TenantsFile.None, repriceAs).RunAsync(new StringReader(input), output, summaryOnly: false, CancellationToken.None);
        return output.ToString();
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(scratch.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
