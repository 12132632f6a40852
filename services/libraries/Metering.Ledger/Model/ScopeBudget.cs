namespace Metering.Ledger.Model;

/// <summary>
/// A budget on one scope of a tenant's traffic (SPEC §15): a service, one attribute value (<c>key=value</c>) or a
/// provider's model (<c>provider/model</c>), per cycle or per UTC day, with the thresholds of SPEC §8. The tenant's own
/// budget stays in <see cref="TenantBudget"/>. One budget per (tenant, scope, period).
/// </summary>
public sealed class ScopeBudget
{
    public Guid Id { get; set; }

    public required string TenantId { get; set; }

    /// <summary><c>service</c>, <c>attribute</c> or <c>model</c>.</summary>
    public required string ScopeKind { get; set; }

    public required string ScopeValue { get; set; }

    /// <summary><c>cycle</c> or <c>day</c>.</summary>
    public required string Period { get; set; }

    public decimal Amount { get; set; }

    public decimal WarnAt { get; set; } = 0.8m;

    public decimal SlowdownAt { get; set; } = 1.0m;

    public decimal BlockAt { get; set; } = 1.0m;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
