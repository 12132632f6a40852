namespace Metering.Ledger.Model;

/// <summary>
/// The budget saga's durable state, one row per tenant: where its spend stands against its budget, the throttle level
/// in force and the sequence of its last command. Updated only under a row lock.
/// </summary>
public sealed class ThrottleState
{
    public required string TenantId { get; set; }

    /// <summary>The cycle the state was last evaluated for; null until the first evaluation.</summary>
    public DateOnly? Cycle { get; set; }

    public required string Level { get; set; }

    /// <summary>The sequence of the last command issued; strictly increasing per tenant, across cycles.</summary>
    public long Sequence { get; set; }

    public decimal SpendToDate { get; set; }

    public decimal ProjectedSpend { get; set; }

    public decimal? Budget { get; set; }

    /// <summary>The highest spend-update version seen for <see cref="Cycle"/>; older updates change nothing.</summary>
    public long SpendVersion { get; set; }

    public DateTimeOffset EvaluatedAt { get; set; }

    /// <summary>The last command, as published; what <c>GET /v1/throttles</c> serves.</summary>
    public string? LastCommand { get; set; }
}
