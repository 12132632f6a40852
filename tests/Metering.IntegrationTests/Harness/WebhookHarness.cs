using System.Text.Json.Nodes;
using Metering.Testing;
using Metering.Webhooks;

namespace Metering.IntegrationTests.Harness;

/// <summary>Webhook endpoints registered through the API, and events put in the webhook outbox as a service's transaction would.</summary>
internal static class WebhookHarness
{
    /// <summary>Registers <paramref name="url"/> for <paramref name="eventTypes"/>; returns its id and the secret shown once.</summary>
    public static async Task<(Guid Id, string Secret)> RegisterAsync(this HttpClient admin, string url, string[] eventTypes, string? tenantId = null)
    {
        var created = await (await admin.PostJsonAsync("/v1/webhooks", new { url, tenantId, eventTypes })).JsonAsync();
        return (Guid.Parse((string)created["id"]!), (string)created["secret"]!);
    }

    public static Task<JsonObject> EndpointAsync(this HttpClient admin, Guid id) => admin.GetJsonAsync($"/v1/webhooks/{id}");

    /// <summary>The endpoint's deliveries, newest first, each with its attempts.</summary>
    public static async Task<JsonArray> DeliveriesAsync(this HttpClient admin, Guid id) =>
        (await admin.GetJsonAsync($"/v1/webhooks/{id}/deliveries"))["items"]!.AsArray();

    /// <summary>An event for the test, of <paramref name="type"/> and tenant <c>acme</c>, with an id of its own.</summary>
    public static WebhookMessage Message(string name, DateTimeOffset at, string type = WebhookEventTypes.CycleClosed) =>
        new(WebhookMessage.IdFor($"test/{Guid.NewGuid()}/{name}"), type, "acme", $$"""{"tenantId": "acme", "name": "{{name}}"}""", at);

    /// <summary>Enqueues <paramref name="messages"/> in a transaction of their own that commits.</summary>
    public static async Task EnqueueAsync(this MeteringEnvironment environment, DateTimeOffset now, params WebhookMessage[] messages)
    {
        await using var connection = await environment.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await WebhookOutbox.EnqueueAsync(connection, messages, now, CancellationToken.None);
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Waits until the delivery loop has attempted every delivery due at <paramref name="now"/>: those it holds are
    /// still due until its transaction commits, so none is half-done when this returns.
    /// </summary>
    public static Task WaitUntilAttemptedAsync(this MeteringEnvironment environment, DateTimeOffset now) =>
        Eventually.Until(
            () => environment.Database.ScalarAsync<long>(
                """
                SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND e.disabled_at IS NULL
                """,
                ("now", now)),
            due => due == 0,
            $"every webhook delivery due at {now:O} attempted");
}
