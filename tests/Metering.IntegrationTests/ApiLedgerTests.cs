using System.Globalization;
using System.Text.Json.Nodes;
using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>The billing team's reads over HTTP, on data that went through the real pipeline (SPEC §9).</summary>
public sealed class ApiLedgerTests : MeteringTest
{
    [Fact]
    public async Task Cycle_summary_invoice_and_ledger_agree_exactly_across_a_tier_boundary()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        // 30 deepseek calls of 4M prompt (100K cached) and 100K completion reserved at 200K: 126M billed tokens, past 100M.
        var stream = Enumerable.Range(0, 30).Select(i => Usage.Event($"big-{i}", provider: "deepseek", model: "deepseek-v4-pro",
            prompt: 4_000_000, cached: 100_000, completion: 100_000, maxTokens: 200_000, service: i % 2 == 0 ? "chat" : "batch")).ToList();
        await PublishAsync(stream);
        await Environment.WaitForAsync(stream.Count);

        var summary = await api.GetJsonAsync("/v1/tenants/acme/cycles/current");
        var invoice = await api.GetJsonAsync("/v1/tenants/acme/cycles/current/invoice");
        var entries = await AllEntriesAsync(api, "/v1/tenants/acme/ledger?limit=7");

        var sumOfEntries = entries.Sum(e => e["cost"].Money());
        Assert.Equal(30, entries.Count);
        Assert.Equal(sumOfEntries, summary["cost"].Money());
        Assert.Equal(sumOfEntries, invoice["totalBeforeRounding"].Money());
        Assert.Equal(invoice["lines"]!.AsArray().Sum(l => l!["exactAmount"].Money()), sumOfEntries);
        Assert.Equal(invoice["lines"]!.AsArray().Sum(l => l!["amount"].Money()), invoice["total"].Money());
        Assert.Contains(invoice["lines"]!.AsArray(), l => (int)l!["tier"]! == 1 && (string?)l["discount"] == "0.75");

        var deepseek = summary["providers"]!.AsArray().Single()!;
        Assert.Equal(126_000_000, (long)deepseek["billedTokens"]!);
        Assert.Equal(1, (int)deepseek["tier"]!);
        Assert.Equal("deepseek-volume", (string?)deepseek["tierSchedule"]);
        Assert.Equal(30 * 100_000L, (long)summary["reservedOutputWaste"]!["tokens"]!);
        Assert.Equal("0.025", (string?)summary["cacheHitRatio"]);
        Assert.Equal(30, (long)summary["events"]!);
        Assert.Equal(
            summary["buckets"]!.AsArray().Sum(b => b!["cost"].Money()),
            summary["models"]!.AsArray().Sum(m => m!["cost"].Money()));
    }

    [Fact]
    public async Task Pagination_returns_every_entry_exactly_once_while_new_entries_arrive()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        await PublishAsync(Usage.MixedStream(400, "first").Select(u => u with { TenantId = "acme" }));
        await Environment.WaitForAsync(400);

        var seen = new List<long>();
        var arriving = PublishAsync(Usage.MixedStream(400, "second").Select(u => u with { TenantId = "acme" }));
        string? cursor = null;
        while (true)
        {
            var complete = arriving.IsCompleted && await Environment.LedgerCountAsync() == 800;
            bool more;
            do
            {
                var page = await api.GetJsonAsync($"/v1/tenants/acme/ledger?limit=23{(cursor is null ? "" : "&cursor=" + cursor)}");
                seen.AddRange(page["items"]!.AsArray().Select(e => (long)e!["id"]!));
                cursor = (string?)page["nextCursor"];
                more = (bool)page["hasMore"]!;
            }
            while (more);

            if (complete)
            {
                break;
            }
        }

        Assert.Equal(800, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task Ledger_filters_select_by_time_provider_model_and_service()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        var noon = DateTimeOffset.UtcNow.AddHours(-2);
        await PublishAsync(
        [
            Usage.Event("a", provider: "openai", model: "gpt-4o", service: "chat", at: noon),
            Usage.Event("b", provider: "openai", model: "gpt-4o-mini", service: "chat", at: noon.AddMinutes(30)),
            Usage.Event("c", provider: "anthropic", model: "claude-3-5-sonnet", service: "search", at: noon.AddMinutes(60)),
        ]);
        await Environment.WaitForAsync(3);

        async Task<string[]> Ids(string query) =>
            [.. (await api.GetJsonAsync("/v1/tenants/acme/ledger?" + query))["items"]!.AsArray().Select(e => (string)e!["eventId"]!).Order()];

        Assert.Equal(["a", "b"], await Ids("provider=openai"));
        Assert.Equal(["b"], await Ids("model=gpt-4o-mini"));
        Assert.Equal(["c"], await Ids("service=search"));
        Assert.Equal(["b", "c"], await Ids("from=" + Uri.EscapeDataString(noon.AddMinutes(1).ToString("O"))));
        Assert.Equal(["a"], await Ids("to=" + Uri.EscapeDataString(noon.AddMinutes(1).ToString("O"))));
        var entry = (await api.GetJsonAsync("/v1/tenants/acme/ledger?model=gpt-4o"))["items"]![0]!;
        Assert.Equal("openai/gpt-4o@2026-01-01T00:00:00Z", (string?)entry["priceEntry"]);
        Assert.Equal(["input", "output"], entry["charges"]!.AsArray().Select(c => (string)c!["kind"]!));
        Assert.Equal(["0.0025", "0.001"], entry["charges"]!.AsArray().Select(c => (string)c!["amount"]!));
        Assert.Equal(["2.5", "10"], entry["charges"]!.AsArray().Select(c => (string)c!["ratePerMillion"]!));
        Assert.Equal("0.0035", (string?)entry["cost"]);
    }

    [Fact]
    public async Task The_invoice_csv_parses_back_to_the_same_lines()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        await PublishAsync(Usage.MixedStream(200, "csv").Select(u => u with { TenantId = "acme" }));
        await Environment.WaitForAsync(200);

        var json = await api.GetJsonAsync("/v1/tenants/acme/cycles/current/invoice");
        var csv = await api.GetAsync("/v1/tenants/acme/cycles/current/invoice?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("provider,model,pricedAs,bucket,tier,discount,tokens,ratePerMillion,amount,exactAmount,kind", rows[0]);
        var lines = json["lines"]!.AsArray();
        Assert.Equal(lines.Count, rows.Length - 1);
        foreach (var (row, line) in rows.Skip(1).Zip(lines))
        {
            var fields = row.Split(',');
            Assert.Equal(
                [(string)line!["provider"]!, (string)line["model"]!, (string)line["pricedAs"]!, (string)line["bucket"]!, ((int)line["tier"]!).ToString(CultureInfo.InvariantCulture),
                 (string)line["discount"]!, ((long)line["tokens"]!).ToString(CultureInfo.InvariantCulture), (string)line["ratePerMillion"]!,
                 (string)line["amount"]!, (string)line["exactAmount"]!, (string)line["kind"]!],
                fields);
        }
    }

    [Fact]
    public async Task Cycles_usage_and_what_if_read_the_same_ledger()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        var stream = Usage.MixedStream(300, "reads");
        await PublishAsync(stream);
        await Environment.WaitForAsync(stream.Count);
        var total = await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries");

        var cycles = await (await api.GetAsync("/v1/tenants/acme/cycles")).JsonArrayAsync();
        Assert.Equal(await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries WHERE tenant_id = 'acme'"), cycles.Sum(c => c!["cost"].Money()));

        foreach (var groupBy in new[] { "tenant", "provider", "model", "service" })
        {
            var usage = await api.GetJsonAsync($"/v1/usage?groupBy={groupBy}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}");
            Assert.Equal(total, usage["totalCost"].Money());
            Assert.Equal(stream.Count, usage["groups"]!.AsArray().Sum(g => (long)g!["events"]!));
        }

        var tenants = await api.GetJsonAsync("/v1/usage?groupBy=tenant");
        Assert.Equal(["acme", "globex", "initech"], tenants["groups"]!.AsArray().Select(g => (string)g!["key"]!).Order());

        // What if acme's deepseek traffic had gone to deepinfra? The same sum as the offline pricer's --as over that traffic.
        var whatIf = await (await api.PostJsonAsync("/v1/tenants/acme/what-if", new { cycle = "current", @as = "deepinfra/deepseek-v4-pro" })).JsonAsync();
        var acme = stream.Where(u => u.TenantId == "acme").ToList();
        var offline = Assert.Single(await MeteringCli.PriceAsync(MeteringEnvironment.JsonLines(acme), "--summary", "--as", "deepinfra/deepseek-v4-pro"));
        Assert.Equal(offline["totalCost"].Money(), whatIf["repricedCost"].Money());
        Assert.Equal(acme.Count, (long)whatIf["events"]!);
        Assert.Equal(whatIf["repricedCost"].Money() - whatIf["currentCost"].Money(), whatIf["difference"].Money());
    }

    [Fact]
    public async Task Health_and_the_openapi_reference_are_served()
    {
        Environment.StartWorker();
        var anonymous = Environment.StartApi().As(null);

        Assert.Equal("Healthy", await anonymous.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await anonymous.GetStringAsync("/health/ready"));
        var openapi = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var paths = openapi["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var path in new[]
        {
            "/v1/tenants/{tenantId}/cycles", "/v1/tenants/{tenantId}/cycles/{cycle}", "/v1/tenants/{tenantId}/cycles/{cycle}/invoice",
            "/v1/tenants/{tenantId}/ledger", "/v1/usage", "/v1/tenants/{tenantId}", "/v1/tenants/{tenantId}/budget", "/v1/catalog",
            "/v1/catalog/prices", "/v1/rejections", "/v1/rejections/{id}/redrive", "/v1/throttles", "/v1/tenants/{tenantId}/what-if",
            "/v1/whoami", "/v1/dashboard/tenants", "/v1/tenants/{tenantId}/dashboard",
        })
        {
            Assert.Contains(path, paths);
        }

        Assert.Contains("<html", await anonymous.GetStringAsync("/scalar/v1"), StringComparison.OrdinalIgnoreCase);
    }

    private async Task PublishAsync(IEnumerable<Metering.Contracts.TokenUsage> events)
    {
        await using var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri, BatchSize = 10 });
        await Task.WhenAll(events.Select(e => publisher.PublishAsync(e)));
    }

    private static async Task<List<JsonNode>> AllEntriesAsync(HttpClient api, string url)
    {
        var entries = new List<JsonNode>();
        string? cursor = null;
        bool more;
        do
        {
            var page = await api.GetJsonAsync(url + (cursor is null ? "" : "&cursor=" + cursor));
            entries.AddRange(page["items"]!.AsArray().Select(e => e!));
            cursor = (string?)page["nextCursor"];
            more = (bool)page["hasMore"]!;
        }
        while (more);
        return entries;
    }
}
