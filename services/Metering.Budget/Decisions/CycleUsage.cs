using Metering.Pricing;

namespace Metering.Budget.Decisions;

/// <summary>
/// What the saga knows of a tenant's current cycle when it decides: actual spend, the tier counters, when usage began,
/// and the tokens and events of the trailing window by (provider, model, bucket), with the time of its latest event.
/// For a scoped budget it is the scope's usage over the budget's <see cref="Span"/> (the tier counters stay the
/// tenant's: the scope's tokens advance the same counters as everyone else's).
/// </summary>
public sealed record CycleUsage(
    BillingCycle Cycle,
    decimal SpendToDate,
    IReadOnlyDictionary<string, long> TierCounters,
    DateTimeOffset? FirstEventAt,
    DateTimeOffset WindowStart,
    IReadOnlyList<BucketTokens> WindowTokens)
{
    /// <summary>The events of the trailing window: with its length, the traffic's mean gap between events.</summary>
    public long WindowEvents { get; init; }

    private readonly BudgetSpan? span;

    /// <summary>What spend to date covers and the projection runs to: the cycle, unless a daily budget's usage says its day.</summary>
    public BudgetSpan Span
    {
        get => span ?? new BudgetSpan(Contracts.BudgetPeriod.Cycle, Cycle.Start, Cycle.End);
        init => span = value;
    }

    /// <summary>When the latest event of the window occurred; null when unknown (the projection then never sees traffic stop).</summary>
    public DateTimeOffset? LastEventAt { get; init; }

    public static CycleUsage Empty(BillingCycle cycle, DateTimeOffset windowStart) =>
        new(cycle, 0m, new Dictionary<string, long>(), null, windowStart, []);
}
