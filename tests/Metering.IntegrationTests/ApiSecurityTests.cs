using System.Net;
using System.Text;
using Metering.IntegrationTests.Harness;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>API keys and roles (SPEC §9): a tenant key never sees another tenant's data; keys are stored only as hashes.</summary>
public sealed class ApiSecurityTests : MeteringTest
{
    private static readonly string[] TenantReads =
    [
        "/v1/tenants/{0}", "/v1/tenants/{0}/budget", "/v1/tenants/{0}/cycles", "/v1/tenants/{0}/cycles/current",
        "/v1/tenants/{0}/cycles/current/invoice", "/v1/tenants/{0}/cycles/current/invoice?format=csv", "/v1/tenants/{0}/ledger",
        "/v1/tenants/{0}/dashboard",
    ];

    [Fact]
    public async Task Without_a_key_every_endpoint_answers_401_problem_details()
    {
        var anonymous = Environment.StartApi().As(null);

        foreach (var url in TenantReads.Select(u => string.Format(null, u, "acme")).Concat(["/v1/usage", "/v1/catalog", "/v1/rejections", "/v1/throttles", "/v1/whoami", "/v1/dashboard/tenants"]))
        {
            var response = await anonymous.GetAsync(url);
            await response.ProblemAsync(401);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        await (await Environment.StartApi().As("mtr_not-a-real-key").GetAsync("/v1/catalog")).ProblemAsync(401);
    }

    [Fact]
    public async Task A_tenant_key_reads_its_own_tenant_and_nothing_of_another()
    {
        Environment.StartWorker();
        var api = Environment.StartApi();
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("mine", tenant: "acme")));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("theirs", tenant: "globex")));
        await raw.PublishAsync("""{"eventId": "bad", "tenantId": "globex"}""");
        await Environment.WaitForAsync(entries: 2, rejected: 1);
        await api.Admin().PutJsonAsync("/v1/tenants/globex/budget", new { amount = "100" });
        var acme = api.As(await Environment.CreateKeyAsync("tenant", "acme"));

        foreach (var url in TenantReads)
        {
            Assert.True((await acme.GetAsync(string.Format(null, url, "acme"))).StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound);
            var theirs = await acme.GetAsync(string.Format(null, url, "globex"));
            await theirs.ProblemAsync(403);
            Assert.DoesNotContain("theirs", await theirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await (await acme.PostJsonAsync("/v1/tenants/globex/what-if", new { @as = "openai/gpt-4o" })).ProblemAsync(403);
        await (await acme.GetAsync("/v1/usage")).ProblemAsync(403);
        await (await acme.GetAsync("/v1/dashboard/tenants")).ProblemAsync(403);
        Assert.Empty((await acme.GetJsonAsync("/v1/rejections"))["items"]!.AsArray());
        Assert.Empty((await acme.GetJsonAsync("/v1/rejections?tenantId=globex"))["items"]!.AsArray());
        Assert.Equal(["mine"], (await acme.GetJsonAsync("/v1/tenants/acme/ledger"))["items"]!.AsArray().Select(e => (string)e!["eventId"]!));
    }

    [Fact]
    public async Task A_tenant_key_cannot_set_budgets_prices_or_settings_and_billing_may_set_only_budgets()
    {
        var api = Environment.StartApi();
        var tenant = api.As(await Environment.CreateKeyAsync("tenant", "acme"));
        var billing = api.As(await Environment.CreateKeyAsync("billing", null));
        var price = new { provider = "openai", model = "gpt-5", effectiveFrom = "2027-01-01T00:00:00Z", inputPerMillion = "1", outputPerMillion = "2" };

        await (await tenant.PutJsonAsync("/v1/tenants/acme/budget", new { amount = "1000000" })).ProblemAsync(403);
        await (await tenant.PostJsonAsync("/v1/catalog/prices", price)).ProblemAsync(403);
        await (await tenant.PutJsonAsync("/v1/tenants/acme", new { cycleAnchorDay = 5 })).ProblemAsync(403);
        await (await tenant.PostAsync("/v1/rejections/1/redrive", null)).ProblemAsync(403);
        await (await tenant.DeleteAsync("/v1/tenants/acme/budget")).ProblemAsync(403);

        Assert.Equal(HttpStatusCode.OK, (await billing.PutJsonAsync("/v1/tenants/acme/budget", new { amount = "500" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await billing.GetAsync("/v1/tenants/globex/cycles")).StatusCode);
        await (await billing.PostJsonAsync("/v1/catalog/prices", price)).ProblemAsync(403);
        await (await billing.PutJsonAsync("/v1/tenants/acme", new { cycleAnchorDay = 5 })).ProblemAsync(403);
        Assert.Equal("500", (string?)(await tenant.GetJsonAsync("/v1/tenants/acme/budget"))["amount"]);
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes_and_a_revoked_key_stops_working()
    {
        var api = Environment.StartApi();
        var key = await Environment.CreateKeyAsync("billing", null);
        Assert.Equal(HttpStatusCode.OK, (await api.As(key).GetAsync("/v1/catalog")).StatusCode);

        var stored = await Environment.Database.QueryAsync("SELECT id::text, key_hash, prefix FROM api_keys", r => (Id: r.GetString(0), Hash: (byte[])r[1], Prefix: r.GetString(2)));
        var row = Assert.Single(stored);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)), row.Hash);
        Assert.Equal(0, await Environment.Database.ScalarAsync<long>(
            "SELECT count(*) FROM api_keys WHERE position(@key in row_to_json(api_keys)::text) > 0", ("key", key[10..])));

        var (exit, _, error) = await MeteringCli.RunAsync("", "keys", "revoke", row.Id, "--connection", Environment.Database.ConnectionString);
        Assert.True(exit == 0, error);
        await Eventually.Until(async () => (await api.As(key).GetAsync("/v1/catalog")).StatusCode, s => s == HttpStatusCode.Unauthorized, "the revoked key refused");
    }

    [Fact]
    public async Task Hostile_strings_in_paths_and_queries_are_refused_or_harmless()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("survivor")));
        await Environment.WaitForAsync(1);
        string[] hostile =
        [
            "acme' OR '1'='1", "acme; DROP TABLE ledger_entries;--", "../../etc/passwd", "%00", "<script>alert(1)</script>",
            new string('a', 5_000), "\u202Eemca", "acme\n", "{{7*7}}", "$(reboot)",
        ];

        foreach (var value in hostile)
        {
            var escaped = Uri.EscapeDataString(value);
            foreach (var url in new[]
            {
                $"/v1/tenants/{escaped}", $"/v1/tenants/{escaped}/cycles/current", $"/v1/tenants/acme/cycles/{escaped}",
                $"/v1/tenants/acme/cycles/{escaped}/invoice", $"/v1/tenants/acme/ledger?provider={escaped}&model={escaped}&service={escaped}",
                $"/v1/tenants/acme/ledger?from={escaped}", $"/v1/tenants/acme/ledger?cursor={escaped}", $"/v1/tenants/acme/ledger?limit={escaped}",
                $"/v1/usage?groupBy={escaped}", $"/v1/usage?from={escaped}", $"/v1/rejections?code={escaped}&tenantId={escaped}",
                $"/v1/tenants/acme/cycles/current/invoice?format={escaped}",
            })
            {
                var response = await api.GetAsync(url);
                Assert.True((int)response.StatusCode is 200 or 400 or 404, $"{url} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Equal(1, await Environment.LedgerCountAsync());
    }
}
