using Metering.Pricing;

namespace Metering.Budget.Decisions;

/// <summary>
/// What the saga knows of a tenant's current cycle when it decides: actual spend, the tier counters, when usage began,
/// and the tokens and events of the trailing window by (provider, model, bucket), with the time of its latest event.
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

    /// <summary>When the latest event of the window occurred; null when unknown (the projection then never sees traffic stop).</summary>
    public DateTimeOffset? LastEventAt { get; init; }

    public static CycleUsage Empty(BillingCycle cycle, DateTimeOffset windowStart) =>
        new(cycle, 0m, new Dictionary<string, long>(), null, windowStart, []);
}
