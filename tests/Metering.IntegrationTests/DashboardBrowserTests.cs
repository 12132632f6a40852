using System.Globalization;
using System.Text.Json.Nodes;
using Metering.IntegrationTests.Harness;
using Metering.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Metering.IntegrationTests;

/// <summary>
/// The dashboard in a real headless chromium, over HTTP from the real API, with usage through the real pipeline and the
/// real budget saga. What the page shows is compared with what the API answers.
/// </summary>
public sealed class DashboardBrowserTests(Browser browser) : MeteringTest, IClassFixture<Browser>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider clock = MeteringEnvironment.ClockAt(Now);

    static DashboardBrowserTests() => Assertions.SetDefaultExpectTimeout(10_000);   // the page polls once a second; allow for a loaded CI machine

    private int published;

    [Fact]
    public async Task A_tenant_key_sees_its_own_cycle_live_and_its_throttle_but_never_another_tenant()
    {
        var (api, service) = StartSystem();
        var acmeKey = await Environment.CreateKeyAsync("tenant", "acme");
        await PublishAsync("acme", 3);
        await PublishAsync("globex", 2);
        await Environment.WaitForAsync(5);

        await using var browserPage = await browser.OpenAsync(service);
        var page = browserPage.Page;
        await page.GotoAsync(new Uri(service, "/dashboard").ToString());
        await page.FillAsync("#key", acmeKey);
        await page.ClickAsync("#sign-in button[type=submit]");

        var summary = await api.GetJsonAsync("/v1/tenants/acme/cycles/current");
        await Expect(page.Locator("#spend")).ToHaveTextAsync(Usd(summary["cost"]));
        await AssertShowsAsync(page, summary);
        await Expect(page.Locator("#overview")).ToBeHiddenAsync();
        await Expect(page.Locator("#spend-chart svg")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex($"^Spend {System.Text.RegularExpressions.Regex.Escape(Usd(summary["cost"]))}"));
        await Expect(page.Locator("#tier-chart svg text").First).ToHaveTextAsync("openai");

        // New usage shows up without a reload.
        await PublishAsync("acme", 4);
        await Environment.WaitForAsync(9);
        summary = await api.GetJsonAsync("/v1/tenants/acme/cycles/current");
        await Expect(page.Locator("#spend")).ToHaveTextAsync(Usd(summary["cost"]));
        await Expect(page.Locator("#events")).ToHaveTextAsync("7");

        // A budget below what is already spent: the saga blocks the tenant, and the page says so.
        await api.PutJsonAsync("/v1/tenants/acme/budget", new { amount = "0.01" });
        await Expect(page.Locator("#level")).ToHaveTextAsync("block");
        await Expect(page.Locator("#commands tbody tr").First).ToContainTextAsync("block");
        await Expect(page.Locator("#budget")).ToHaveTextAsync("$0.01");

        // Scoped budgets on the tenant's model, listed with their own levels: the cycle's is blocked; the day's is
        // normal, since every event happened yesterday (before 00:00 UTC).
        await Expect(page.Locator("#budgets tbody tr").First).ToContainTextAsync("No scoped budgets");
        await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "model", value = "openai/gpt-4o" }, amount = "0.01" });
        await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "model", value = "openai/gpt-4o" }, period = "day", amount = "0.01" });
        var rows = page.Locator("#budgets tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("model openai/gpt-4o");
        await Expect(rows.Nth(0)).ToContainTextAsync("cycle");
        await Expect(rows.Nth(0)).ToContainTextAsync("block");
        await Expect(rows.Nth(1)).ToContainTextAsync("day (UTC)");
        await Expect(rows.Nth(1)).ToContainTextAsync("normal");
        await browserPage.ScreenshotAsync("tenant-blocked");

        // Another tenant's page: refused, with nothing of that tenant on it.
        var globex = await api.GetJsonAsync("/v1/tenants/globex/cycles/current");
        await page.EvaluateAsync("() => { location.hash = 'tenant=globex'; }");
        await Expect(page.Locator("#error")).ToContainTextAsync("may read only its own tenant");
        await Expect(page.Locator("#tenant")).ToBeHiddenAsync();
        Assert.DoesNotContain((string)globex["cost"]!, await page.ContentAsync(), StringComparison.Ordinal);
        var direct = await page.EvaluateAsync<int>(
            "async key => (await fetch('/v1/tenants/globex/dashboard', { headers: { Authorization: 'Bearer ' + key } })).status", acmeKey);
        Assert.Equal(403, direct);
        await browserPage.ScreenshotAsync("tenant-refused");

        Assert.Empty(browserPage.Refused);
        Assert.DoesNotContain(browserPage.Errors, e => !e.Contains("403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Billing_sees_every_tenant_with_the_runaway_on_top_and_can_sort_and_open_one()
    {
        var (api, service) = StartSystem();
        var billingKey = await Environment.CreateKeyAsync("billing", null);
        await PublishAsync("quiet", 1);
        await PublishAsync("runaway", 6);
        await PublishAsync("steady", 3);
        await Environment.WaitForAsync(10);
        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "0.01" });
        await api.PutJsonAsync("/v1/tenants/quiet/budget", new { amount = "1000" });

        await using var browserPage = await browser.OpenAsync(service);
        var page = browserPage.Page;
        await page.GotoAsync(new Uri(service, $"/dashboard#key={billingKey}").ToString());

        var rows = page.Locator("#tenants tbody tr");
        await Expect(rows.First).ToHaveAttributeAsync("data-tenant", "runaway");
        await Expect(rows.First.Locator(".level")).ToHaveTextAsync("block");
        Assert.DoesNotContain(billingKey, page.Url, StringComparison.Ordinal);

        var overview = await api.GetAsync("/v1/dashboard/tenants").ContinueWith(t => t.Result.JsonArrayAsync()).Unwrap();
        Assert.Equal(["runaway", "quiet", "steady"], overview.Select(r => (string)r!["tenantId"]!));
        foreach (var row in overview)
        {
            var shown = page.Locator($"#tenants tbody tr[data-tenant='{(string)row!["tenantId"]!}'] td:nth-child(4)");
            await Expect(shown).ToHaveTextAsync(Usd(row["spend"]));
        }

        await page.ClickAsync("#tenants th button[data-sort=tenantId]");
        Assert.Equal(["quiet", "runaway", "steady"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.tenant)"));
        await page.ClickAsync("#tenants th button[data-sort=spend]");
        Assert.Equal(["runaway", "steady", "quiet"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.tenant)"));
        await browserPage.ScreenshotAsync("overview");

        await page.ClickAsync("#tenants a:text-is('steady')");
        var steady = await api.GetJsonAsync("/v1/tenants/steady/cycles/current");
        await Expect(page.Locator("#tenant-name")).ToHaveTextAsync("steady");
        await AssertShowsAsync(page, steady);
        Assert.Empty(browserPage.Refused);
        Assert.Empty(browserPage.Errors);
    }

    [Fact]
    public async Task The_page_holds_no_data_without_a_key_and_a_wrong_key_is_turned_away()
    {
        var (_, service) = StartSystem();
        await using var browserPage = await browser.OpenAsync(service);
        var page = browserPage.Page;

        var response = await page.GotoAsync(new Uri(service, "/dashboard").ToString());
        Assert.Equal(200, response!.Status);
        Assert.Contains("default-src 'none'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();

        await page.FillAsync("#key", "not-a-key");
        await page.ClickAsync("#sign-in button[type=submit]");
        await Expect(page.Locator("#error")).ToContainTextAsync("not accepted");
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.Empty(browserPage.Refused);
    }

    private (HttpClient Api, Uri Service) StartSystem()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock, ("Budget:TickInterval", "00:00:01"));
        var instance = Environment.StartApi(clock);
        var service = instance.ServeOverHttp();
        var api = new HttpClient { BaseAddress = service };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiInstance.AdminKey);
        return (api, service);
    }

    /// <summary>The tiles hold the API's exact strings, and show them as people read them.</summary>
    private static async Task AssertShowsAsync(IPage page, JsonObject summary)
    {
        await Expect(page.Locator("#spend")).ToHaveAttributeAsync("data-value", (string)summary["cost"]!);
        await Expect(page.Locator("#spend")).ToHaveTextAsync(Usd(summary["cost"]));
        await Expect(page.Locator("#billed-tokens")).ToHaveTextAsync(((long)summary["billedTokens"]!).ToString("N0", CultureInfo.InvariantCulture));
        await Expect(page.Locator("#events")).ToHaveTextAsync(((long)summary["events"]!).ToString("N0", CultureInfo.InvariantCulture));
        await Expect(page.Locator("#cache-hit-ratio")).ToHaveAttributeAsync("data-value", (string)summary["cacheHitRatio"]!);
        await Expect(page.Locator("#cache-hit-ratio")).ToHaveTextAsync(Percent(summary["cacheHitRatio"]));
        await Expect(page.Locator("#effective-rate")).ToHaveAttributeAsync("data-value", (string)summary["effectiveRatePerMillion"]!);
    }

    private async Task PublishAsync(string tenant, int events)
    {
        var raw = await Environment.RawPublisherAsync();
        for (var i = 0; i < events; i++)
        {
            var n = published++;
            await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event(
                $"{tenant}-{n}", tenant: tenant, prompt: 20_000 + (n * 1_000), completion: 500, cached: 8_000, at: Now.AddMinutes(-30 + n))));
        }
    }

    private static string Usd(JsonNode? amount) =>
        "$" + Math.Round(decimal.Parse((string)amount!, CultureInfo.InvariantCulture), 2, MidpointRounding.ToEven).ToString("N2", CultureInfo.InvariantCulture);

    private static string Percent(JsonNode? ratio) =>
        (Math.Round(decimal.Parse((string)ratio!, CultureInfo.InvariantCulture) * 100m, 1, MidpointRounding.AwayFromZero) / 1.0m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
