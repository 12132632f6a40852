namespace Metering.Ledger.Model;

/// <summary>
/// The budget saga's state of one scoped budget, per (tenant, scope, period): the level in force and where spend stands.
/// Written only while the saga holds the tenant's <see cref="ThrottleState"/> row lock. Kept after its budget is
/// deleted, so a budget made again on the scope continues its sequence instead of starting below what clients hold.
/// </summary>
public sealed class ScopeThrottleState
{
    public required string TenantId { get; set; }

    public required string ScopeKind { get; set; }

    public required string ScopeValue { get; set; }

    public required string Period { get; set; }

    /// <summary>The cycle, or for a daily budget the day, last evaluated; null until the first evaluation.</summary>
    public DateOnly? PeriodStart { get; set; }

    public required string Level { get; set; }

    /// <summary>The sequence of the scope's last command: strictly increasing per (tenant, scope), across its periods.</summary>
    public long Sequence { get; set; }

    public decimal SpendToDate { get; set; }

    public decimal ProjectedSpend { get; set; }

    public decimal? Budget { get; set; }

    public DateTimeOffset EvaluatedAt { get; set; }

    /// <summary>The last command, as published; <c>GET /v1/throttles</c> serves it beside the tenants' own.</summary>
    public string? LastCommand { get; set; }
}
