namespace Metering.Ledger.Model;

/// <summary>
/// Where an admin wants alerts sent (SPEC §15): a URL, the tenant it listens to (null for all tenants) and the event
/// types it subscribed to. Its signing secret is kept sealed (see <c>Metering.Webhooks.WebhookSecrets</c>): it has to
/// be usable for HMAC, so it cannot be a hash, but a copy of the database alone does not reveal it.
/// </summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }

    public required string Url { get; set; }

    /// <summary>Null: the events of every tenant.</summary>
    public string? TenantId { get; set; }

    public required string[] EventTypes { get; set; }

    public string? Description { get; set; }

    /// <summary>The signing secret, sealed with the key of setting <c>Webhooks:SecretKey</c>.</summary>
    public required string Secret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The first failed attempt since the last delivered one; null while the endpoint answers.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>Set when the endpoint failed for too long or an admin disabled it; nothing is sent to it until it is enabled again.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    public string? DisabledReason { get; set; }
}
