namespace Metering.Ledger.Model;

/// <summary>A tenant's budget per cycle and the thresholds of SPEC §8, as fractions of the amount.</summary>
public sealed class TenantBudget
{
    public required string TenantId { get; set; }

    public decimal Amount { get; set; }

    /// <summary>Warn when projected spend reaches this fraction of the budget (default 0.8).</summary>
    public decimal WarnAt { get; set; } = 0.8m;

    /// <summary>Slow down when projected spend reaches this fraction (default 1.0).</summary>
    public decimal SlowdownAt { get; set; } = 1.0m;

    /// <summary>Block when actual spend reaches this fraction (default 1.0).</summary>
    public decimal BlockAt { get; set; } = 1.0m;

    public DateTimeOffset UpdatedAt { get; set; }
}
