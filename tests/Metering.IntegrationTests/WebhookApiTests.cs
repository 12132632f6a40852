using System.Net;
using Metering.IntegrationTests.Harness;
using Metering.Webhooks;

namespace Metering.IntegrationTests;

/// <summary>Webhook endpoints through the API (SPEC §15): admin only, validated with problem details, the secret shown once and stored sealed.</summary>
public sealed class WebhookApiTests : MeteringTest
{
    private const string Url = "https://alerts.example.com/metering";

    public static TheoryData<object, string> BadEndpoints => new()
    {
        { new { eventTypes = new[] { "cycle.closed" } }, "url" },
        { new { url = "ftp://alerts.example.com/", eventTypes = new[] { "cycle.closed" } }, "url" },
        { new { url = "https://user:password@alerts.example.com/", eventTypes = new[] { "cycle.closed" } }, "url" },
        { new { url = "/relative", eventTypes = new[] { "cycle.closed" } }, "url" },
        { new { url = Url }, "eventTypes" },
        { new { url = Url, eventTypes = Array.Empty<string>() }, "eventTypes" },
        { new { url = Url, eventTypes = new[] { "cycle.closed", "invoice.paid" } }, "eventTypes" },
        { new { url = Url, eventTypes = new[] { "cycle.closed" }, tenantId = "no spaces" }, "tenantId" },
        { new { url = Url, eventTypes = new[] { "cycle.closed" }, description = new string('x', 257) }, "description" },
    };

    [Theory]
    [MemberData(nameof(BadEndpoints))]
    public async Task A_bad_endpoint_is_a_400_that_names_the_field(object endpoint, string field)
    {
        var api = Environment.StartApi().Admin();

        var problem = await (await api.PostJsonAsync("/v1/webhooks", endpoint)).ProblemAsync(400);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Empty(await (await api.GetAsync("/v1/webhooks")).JsonArrayAsync());
    }

    [Fact]
    public async Task An_endpoint_is_registered_changed_listed_and_deleted_and_its_secret_is_shown_once_and_stored_sealed()
    {
        var api = Environment.StartApi().Admin();

        var response = await api.PostJsonAsync("/v1/webhooks", new { url = Url, tenantId = "acme", eventTypes = new[] { "rejections.spike", "budget.level_changed" }, description = "billing alerts" });
        var created = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (string)created["id"]!;
        Assert.Equal($"/v1/webhooks/{id}", response.Headers.Location?.OriginalString);
        var secret = (string)created["secret"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(["budget.level_changed", "rejections.spike"], created["eventTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(("enabled", "acme"), ((string)created["state"]!, (string)created["tenantId"]!));
        var fetched = await api.GetJsonAsync($"/v1/webhooks/{id}");
        Assert.False(fetched.ContainsKey("secret"));
        var stored = await Environment.Database.ScalarAsync<string>("SELECT secret FROM webhook_endpoints");
        Assert.StartsWith("v1.", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);

        var changed = await (await api.PutJsonAsync($"/v1/webhooks/{id}", new { url = Url + "/v2", eventTypes = new[] { "cycle.closed" }, enabled = false })).JsonAsync();
        Assert.Equal((Url + "/v2", "disabled", "disabled by an admin"), ((string)changed["url"]!, (string)changed["state"]!, (string)changed["disabledReason"]!));
        Assert.Null(changed["tenantId"]);
        Assert.Single(await (await api.GetAsync("/v1/webhooks")).JsonArrayAsync());
        Assert.Empty(await (await api.GetAsync("/v1/webhooks?tenantId=acme")).JsonArrayAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v1/webhooks/{id}")).StatusCode);
        await (await api.GetAsync($"/v1/webhooks/{id}")).ProblemAsync(404);
        await (await api.DeleteAsync($"/v1/webhooks/{id}")).ProblemAsync(404);
        await (await api.GetAsync($"/v1/webhooks/{id}/deliveries")).ProblemAsync(404);
        await (await api.PostAsync($"/v1/webhooks/{id}/deliveries/1/resend", null)).ProblemAsync(404);
    }

    [Fact]
    public async Task Only_an_admin_key_may_see_or_change_webhooks()
    {
        var instance = Environment.StartApi();
        var billing = instance.As(await Environment.CreateKeyAsync("billing"));
        var tenant = instance.As(await Environment.CreateKeyAsync("tenant", "acme"));

        foreach (var client in new[] { billing, tenant })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/webhooks")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJsonAsync("/v1/webhooks", new { url = Url, eventTypes = new[] { WebhookEventTypes.CycleClosed } })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await instance.As(null).GetAsync("/v1/webhooks")).StatusCode);
    }

    [Fact]
    public async Task The_delivery_log_validates_its_filters()
    {
        var api = Environment.StartApi().Admin();
        var (id, _) = await api.RegisterAsync(Url, [WebhookEventTypes.CycleClosed]);

        Assert.Empty(await api.DeliveriesAsync(id));
        await (await api.GetAsync($"/v1/webhooks/{id}/deliveries?status=lost")).ProblemAsync(400);
        await (await api.GetAsync($"/v1/webhooks/{id}/deliveries?limit=0")).ProblemAsync(400);
        await (await api.GetAsync($"/v1/webhooks/{id}/deliveries?cursor=nope")).ProblemAsync(400);
    }

    [Fact]
    public async Task The_webhook_endpoints_are_in_the_OpenAPI_document()
    {
        var anonymous = Environment.StartApi().As(null);

        var paths = System.Text.Json.Nodes.JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/v1/webhooks", paths);
        Assert.Contains("/v1/webhooks/{id}", paths);
        Assert.Contains("/v1/webhooks/{id}/deliveries", paths);
        Assert.Contains("/v1/webhooks/{id}/deliveries/{deliveryId}/resend", paths);
    }
}
