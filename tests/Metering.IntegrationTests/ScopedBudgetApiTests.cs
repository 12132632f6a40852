using System.Net;
using System.Text.Json.Nodes;
using Metering.IntegrationTests.Harness;

namespace Metering.IntegrationTests;

/// <summary>The scoped-budget endpoints: who may do what, and a clear 400 for every bad input.</summary>
public sealed class ScopedBudgetApiTests : MeteringTest
{
    [Theory]
    [InlineData("""{ "scope": { "kind": "team", "value": "x" }, "amount": "5" }""", "scope.kind")]
    [InlineData("""{ "scope": { "kind": "tenant", "value": "" }, "amount": "5" }""", "period")]
    [InlineData("""{ "scope": { "kind": "tenant", "value": "acme" }, "period": "day", "amount": "5" }""", "scope.value")]
    [InlineData("""{ "amount": "5" }""", "scope.kind")]
    [InlineData("""{ "scope": { "kind": "service", "value": "" }, "amount": "5" }""", "scope.value")]
    [InlineData("""{ "scope": { "kind": "attribute", "value": "feature" }, "amount": "5" }""", "scope.value")]
    [InlineData("""{ "scope": { "kind": "attribute", "value": "=chat" }, "amount": "5" }""", "scope.value")]
    [InlineData("""{ "scope": { "kind": "model", "value": "gpt-4o" }, "amount": "5" }""", "scope.value")]
    [InlineData("""{ "scope": { "kind": "service", "value": "a" }, "period": "week", "amount": "5" }""", "period")]
    [InlineData("""{ "scope": { "kind": "service", "value": "a" }, "amount": "0" }""", "amount")]
    [InlineData("""{ "scope": { "kind": "service", "value": "a" }, "amount": "5", "warnAt": 11 }""", "warnAt")]
    public async Task A_bad_budget_is_a_400_naming_the_field(string body, string field)
    {
        var api = Environment.StartApi().Admin();

        var response = await api.PostAsync("/v1/tenants/acme/budgets", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ProblemAsync(400);
        Assert.True(problem["errors"]![field] is not null, problem.ToJsonString());
    }

    [Fact]
    public async Task Billing_creates_changes_and_deletes_a_budget_a_tenant_key_reads_its_own_and_nobody_else_writes()
    {
        var instance = Environment.StartApi();
        var billing = instance.As(await Environment.CreateKeyAsync("billing"));
        var acme = instance.As(await Environment.CreateKeyAsync("tenant", "acme"));
        var globex = instance.As(await Environment.CreateKeyAsync("tenant", "globex"));
        var budget = new { scope = new { kind = "service", value = "agent-loop" }, period = "day", amount = "50.00", warnAt = "0.5" };

        var created = await billing.PostJsonAsync("/v1/tenants/acme/budgets", budget);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.JsonAsync();
        Assert.Equal(("service", "agent-loop", "day", "50", "0.5", "normal"), (
            (string)view["scope"]!["kind"]!, (string)view["scope"]!["value"]!, (string)view["period"]!, (string)view["amount"]!, (string)view["warnAt"]!, (string)view["level"]!));
        await (await billing.PostJsonAsync("/v1/tenants/acme/budgets", budget)).ProblemAsync(409);
        Assert.Equal(HttpStatusCode.Created, (await billing.PostJsonAsync("/v1/tenants/acme/budgets", budget with { period = "cycle" })).StatusCode);

        var location = created.Headers.Location!.ToString();
        var listed = await (await acme.GetAsync("/v1/tenants/acme/budgets")).JsonArrayAsync();
        Assert.Equal(2, listed.Count);
        await (await globex.GetAsync("/v1/tenants/acme/budgets")).ProblemAsync(403);
        await (await acme.PostJsonAsync("/v1/tenants/acme/budgets", budget)).ProblemAsync(403);
        await (await acme.DeleteAsync(location)).ProblemAsync(403);

        var changed = await billing.PutJsonAsync(location, new { amount = "75" });
        Assert.Equal("75", (string?)(await changed.JsonAsync())["amount"]);
        await (await billing.PutJsonAsync(location, new { period = "cycle", amount = "75" })).ProblemAsync(400);
        Assert.Equal("75", (string?)(await acme.GetJsonAsync(location))["amount"]);

        Assert.Equal(HttpStatusCode.NoContent, (await billing.DeleteAsync(location)).StatusCode);
        await (await billing.DeleteAsync(location)).ProblemAsync(404);
        await (await acme.GetAsync(location)).ProblemAsync(404);
        Assert.Single(await (await billing.GetAsync("/v1/tenants/acme/budgets")).JsonArrayAsync());
    }
}
