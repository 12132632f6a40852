using System.Text.Json;
using Metering.Ledger.Model;

namespace Metering.Api.Webhooks;

/// <summary>One event for one endpoint, with every attempt made, oldest first.</summary>
/// <param name="WebhookId">The <c>webhook-id</c> header of every attempt: the event's id.</param>
/// <param name="Status"><c>pending</c> (being retried), <c>delivered</c> or <c>failed</c> (retries exhausted).</param>
/// <param name="Data">The event's <c>data</c>, as sent.</param>
public sealed record WebhookDeliveryView(
    long Id,
    Guid WebhookId,
    string EventType,
    string? TenantId,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    JsonElement Data,
    IReadOnlyList<WebhookAttemptView> Attempts)
{
    public static WebhookDeliveryView Of(WebhookDelivery delivery, WebhookEvent webhookEvent, IEnumerable<WebhookAttempt> attempts)
    {
        using var data = JsonDocument.Parse(webhookEvent.Data);
        return new WebhookDeliveryView(
            delivery.Id,
            webhookEvent.Id,
            webhookEvent.Type,
            webhookEvent.TenantId,
            delivery.Status,
            delivery.CreatedAt,
            delivery.NextAttemptAt,
            delivery.DeliveredAt,
            data.RootElement.Clone(),
            attempts.OrderBy(a => a.Id).Select(WebhookAttemptView.Of).ToList());
    }
}
