using System.Net;
using Metering.IntegrationTests.Harness;
using Metering.Pricing.Catalog;
using Metering.Pricing.Usage;

namespace Metering.IntegrationTests;

/// <summary>Tenant settings, the catalog and re-drives over HTTP (SPEC §7, §9).</summary>
public sealed class ApiAdminTests : MeteringTest
{
    [Fact]
    public async Task A_rejected_event_redriven_after_the_catalog_is_fixed_is_billed_once()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("new-model", provider: "openai", model: "gpt-9-imaginary", prompt: 2_000_000, completion: 0)));
        await Environment.WaitForAsync(entries: 0, rejected: 1);
        var rejection = (await api.GetJsonAsync("/v1/rejections?code=unknown-model"))["items"]![0]!;
        var id = (long)rejection["id"]!;

        await (await api.PostAsync($"/v1/rejections/{id}/redrive", null)).ProblemAsync(422);
        var added = await api.PostJsonAsync("/v1/catalog/prices", new
        {
            provider = "openai", model = "gpt-9-imaginary", effectiveFrom = "2026-01-01T00:00:00Z", inputPerMillion = "1.25", outputPerMillion = "10",
        });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var first = await (await api.PostAsync($"/v1/rejections/{id}/redrive", null)).JsonAsync();
        var second = await (await api.PostAsync($"/v1/rejections/{id}/redrive", null)).JsonAsync();
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.PostAsync($"/v1/rejections/{id}/redrive", null)));

        Assert.Equal("billed", (string?)first["outcome"]);
        Assert.Equal("2.5", (string?)first["cost"]);
        Assert.Equal("already-billed", (string?)second["outcome"]);
        Assert.All(concurrent, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await Environment.LedgerCountAsync());
        Assert.Equal(2.5m, await Environment.Database.ScalarAsync<decimal>("SELECT cost FROM cycle_states"));
        Assert.Equal(1, await Environment.RejectedCountAsync());
        var after = (await api.GetJsonAsync("/v1/rejections"))["items"]![0]!;
        Assert.Equal((long)first["ledgerEntryId"]!, (long)after["ledgerEntryId"]!);
    }

    [Fact]
    public async Task A_late_event_is_redriven_into_the_current_cycle_as_an_adjustment()
    {
        var clock = MeteringEnvironment.ClockAt(new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero));
        Environment.StartWorker(clock);
        var api = Environment.StartApi(clock).Admin();
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("late", at: new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), prompt: 1_000_000, completion: 0)));
        await Environment.WaitForAsync(entries: 0, rejected: 1);
        var id = (long)(await api.GetJsonAsync("/v1/rejections?code=" + RejectionCodes.CycleClosed))["items"]![0]!["id"]!;

        await (await api.PostAsync($"/v1/rejections/{id}/redrive", null)).ProblemAsync(409);
        var adjusted = await (await api.PostAsync($"/v1/rejections/{id}/redrive?mode=adjustment", null)).JsonAsync();

        Assert.Equal("billed-as-adjustment", (string?)adjusted["outcome"]);
        Assert.Equal("2026-12-01", (string?)adjusted["cycle"]);
        var entry = (await api.GetJsonAsync("/v1/tenants/acme/ledger"))["items"]![0]!;
        Assert.Equal("adjustment", (string?)entry["kind"]);
        Assert.Equal("2.5", (string?)(await api.GetJsonAsync("/v1/tenants/acme/cycles/2026-12-01"))["cost"]);
        await (await api.PostAsync($"/v1/rejections/{id}/redrive?mode=sideways", null)).ProblemAsync(400);
    }

    [Fact]
    public async Task Tenant_settings_set_the_anchor_before_usage_and_overrides_apply_to_later_events()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        var raw = await Environment.RawPublisherAsync();

        var set = await (await api.PutJsonAsync("/v1/tenants/newco", new { cycleAnchorDay = 15, tierSchedules = new Dictionary<string, string> { ["deepseek"] = "deepseek-new-customer" } })).JsonAsync();
        Assert.Equal(15, (int)set["cycleAnchorDay"]!);
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("n1", tenant: "newco", provider: "deepseek", model: "deepseek-v4-pro", prompt: 10_000_000, completion: 0)));
        await Environment.WaitForAsync(1);

        var summary = await api.GetJsonAsync("/v1/tenants/newco/cycles/current");
        Assert.Equal(15, DateTimeOffset.Parse((string)summary["start"]!, System.Globalization.CultureInfo.InvariantCulture).Day);
        Assert.Equal("2.8", (string?)summary["cost"]); // 10M × 0.56 × (1 − 0.5)
        Assert.Equal("deepseek-new-customer", (string?)summary["providers"]![0]!["tierSchedule"]);
        Assert.Equal(90_000_000L, (long?)summary["providers"]![0]!["tokensToNextTier"]);
        await (await api.PutJsonAsync("/v1/tenants/newco", new { cycleAnchorDay = 1 })).ProblemAsync(409);
        await (await api.PutJsonAsync("/v1/tenants/newco", new { tierSchedules = new Dictionary<string, string> { ["deepseek"] = "platinum" } })).ProblemAsync(400);
        await (await api.PutJsonAsync("/v1/tenants/newco", new { cycleAnchorDay = 29 })).ProblemAsync(400);
        Assert.Equal(15, (int)(await api.GetJsonAsync("/v1/tenants/newco"))["cycleAnchorDay"]!);
    }

    [Fact]
    public async Task An_anchor_day_set_while_the_first_events_are_in_flight_never_splits_a_tenant_into_two_cycles()
    {
        Environment.StartWorker(settings: ("Metering:BatchMessageLimit", "1"));
        var api = Environment.StartApi().Admin();
        var raw = await Environment.RawPublisherAsync();
        var tenants = Enumerable.Range(0, 20).Select(i => $"race-{i}").ToList();
        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (var tenant in tenants)
        {
            foreach (var i in Enumerable.Range(0, 10))
            {
                await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event($"{tenant}-{i}", tenant: tenant)));
            }

            answers[tenant] = (await api.PutJsonAsync($"/v1/tenants/{tenant}", new { cycleAnchorDay = 15 })).StatusCode;
        }

        await Environment.WaitForAsync(tenants.Count * 10);
        var cycles = await Environment.Database.QueryAsync("SELECT tenant_id, cycle FROM cycle_states", r => (Tenant: r.GetString(0), Cycle: r.GetFieldValue<DateOnly>(1)));
        foreach (var tenant in tenants)
        {
            var anchor = (int)(await api.GetJsonAsync($"/v1/tenants/{tenant}"))["cycleAnchorDay"]!;
            Assert.Equal(answers[tenant] == HttpStatusCode.OK ? 15 : 1, anchor);
            Assert.Contains(answers[tenant], new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
            var cycle = Assert.Single(cycles, c => c.Tenant == tenant).Cycle;
            Assert.Equal(anchor, cycle.Day);
        }
    }

    [Fact]
    public async Task The_catalog_takes_new_effective_dated_prices_and_never_edits_one()
    {
        var api = Environment.StartApi().Admin();
        var future = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var change = new { provider = "openai", model = "gpt-4o", effectiveFrom = future, inputPerMillion = "2.00", outputPerMillion = "8.00", cacheReadPerMillion = "1.00" };

        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/v1/catalog/prices", change)).StatusCode);
        var catalog = await api.GetJsonAsync("/v1/catalog?provider=openai&model=gpt-4o");
        Assert.Equal(2, catalog["prices"]!.AsArray().Count(p => (string?)p!["model"] == "gpt-4o"));
        Assert.Equal(PriceCatalog.Default.Prices.Count + 1, (int)(await api.GetJsonAsync("/v1/catalog?limit=1"))["total"]!);

        await (await api.PostJsonAsync("/v1/catalog/prices", change)).ProblemAsync(409);
        await (await api.PostJsonAsync("/v1/catalog/prices", change with { effectiveFrom = "2026-06-01T00:00:00Z" })).ProblemAsync(400);
        await (await api.PostJsonAsync("/v1/catalog/prices", change with { effectiveFrom = "2099-01-01T00:00:00Z", inputPerMillion = "-1" })).ProblemAsync(400);
        var noSchedule = await (await api.PostJsonAsync("/v1/catalog/prices", new { provider = "x", model = "y", effectiveFrom = future, inputPerMillion = "1", outputPerMillion = "1", tierSchedule = "nope" })).ProblemAsync(400);
        Assert.Contains("nope", (string?)noSchedule["detail"], StringComparison.Ordinal);
    }
}
