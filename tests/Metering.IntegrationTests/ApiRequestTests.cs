using Metering.IntegrationTests.Harness;

namespace Metering.IntegrationTests;

/// <summary>Bad requests are 400 problem details that say what was wrong, never a 500 (SPEC §9).</summary>
public sealed class ApiRequestTests : MeteringTest
{
    [Theory]
    [InlineData("/v1/tenants/acme/ledger?from=yesterday", "from")]
    [InlineData("/v1/tenants/acme/ledger?to=2026-13-45", "to")]
    [InlineData("/v1/tenants/acme/ledger?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("/v1/tenants/acme/ledger?limit=0", "limit")]
    [InlineData("/v1/tenants/acme/ledger?limit=1001", "limit")]
    [InlineData("/v1/tenants/acme/ledger?limit=ten", "limit")]
    [InlineData("/v1/tenants/acme/ledger?cursor=!!!", "cursor")]
    [InlineData("/v1/tenants/acme/cycles/2026-11-02", "cycle")]
    [InlineData("/v1/tenants/acme/cycles/november", "cycle")]
    [InlineData("/v1/tenants/acme/cycles/2026-11-31/invoice", "cycle")]
    [InlineData("/v1/tenants/acme/cycles/current/invoice?format=pdf", "format")]
    [InlineData("/v1/usage?groupBy=color", "groupBy")]
    [InlineData("/v1/usage?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("/v1/tenants/a%20b/cycles", "tenantId")]
    public async Task Bad_parameters_are_400_naming_the_parameter(string url, string field)
    {
        var response = await Environment.StartApi().Admin().GetAsync(url);

        var problem = await response.ProblemAsync(400);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.StartsWith(field, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT", "/v1/tenants/acme/budget", "{\"amount\": ")]
    [InlineData("PUT", "/v1/tenants/acme/budget", "{\"amount\": \"lots\"}")]
    [InlineData("PUT", "/v1/tenants/acme/budget", "[1, 2]")]
    [InlineData("PUT", "/v1/tenants/acme", "{\"cycleAnchorDay\": \"the first\"}")]
    [InlineData("POST", "/v1/catalog/prices", "not json")]
    [InlineData("POST", "/v1/tenants/acme/what-if", "{\"as\": 42}")]
    public async Task Malformed_json_bodies_are_400_with_the_reason(string method, string url, string body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

        var problem = await (await Environment.StartApi().Admin().SendAsync(request)).ProblemAsync(400);

        Assert.Contains("JSON", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"amount\": \"-5\"}", "amount")]
    [InlineData("{}", "amount")]
    [InlineData("{\"amount\": \"100\", \"warnAt\": \"0\"}", "warnAt")]
    [InlineData("{\"amount\": \"100\", \"blockAt\": 11}", "blockAt")]
    public async Task Invalid_budgets_are_400_naming_the_field(string body, string field)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/v1/tenants/acme/budget") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

        var problem = await (await Environment.StartApi().Admin().SendAsync(request)).ProblemAsync(400);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Unknown_things_are_404_problem_details()
    {
        var api = Environment.StartApi().Admin();

        await (await api.GetAsync("/v1/tenants/nobody")).ProblemAsync(404);
        await (await api.GetAsync("/v1/tenants/nobody/budget")).ProblemAsync(404);
        await (await api.PostAsync("/v1/rejections/424242/redrive", null)).ProblemAsync(404);
        await (await api.GetAsync("/v1/no-such-endpoint")).ProblemAsync(404);
    }
}
