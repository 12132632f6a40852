namespace Metering.Ledger.Model;

/// <summary>
/// One event for one endpoint: created with the event for every endpoint subscribed to it, attempted until it is
/// delivered or its retries run out. At most one per (endpoint, event).
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }

    public Guid EndpointId { get; set; }

    public Guid EventId { get; set; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c> (retries exhausted).</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the delivery loop may attempt it next; null once delivered or failed.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}
