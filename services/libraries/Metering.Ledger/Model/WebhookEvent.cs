namespace Metering.Ledger.Model;

/// <summary>
/// Something an endpoint may be told about, written in the transaction of the change that caused it. Its id is the
/// <c>webhook-id</c> of every delivery of it, derived from what happened (a throttle command, a closed cycle), so
/// the same change can never become two events, and receivers de-duplicate by it.
/// </summary>
public sealed class WebhookEvent
{
    public Guid Id { get; set; }

    public required string Type { get; set; }

    public string? TenantId { get; set; }

    /// <summary>The payload's <c>data</c> object.</summary>
    public required string Data { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
}
