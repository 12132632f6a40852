namespace Metering.Ledger.Model;

/// <summary>Every throttle command ever issued, written with the state change; the outbox publishes it.</summary>
public sealed class ThrottleCommandRecord
{
    public Guid CommandId { get; set; }

    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public long Sequence { get; set; }

    /// <summary><c>tenant</c> for the tenant's own budget; its sequence is unique per (tenant, scope).</summary>
    public string ScopeKind { get; set; } = "tenant";

    public string ScopeValue { get; set; } = string.Empty;

    public string Period { get; set; } = "cycle";

    public required string Level { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset IssuedAt { get; set; }
}
