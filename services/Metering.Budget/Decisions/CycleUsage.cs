using Metering.Pricing;

namespace Metering.Budget.Decisions;

/// <summary>
/// What the saga knows of a tenant's current cycle when it decides: actual spend, the tier counters, when usage began,
/// and the tokens of the trailing window by (provider, model, bucket).
/// </summary>
public sealed record CycleUsage(
    BillingCycle Cycle,
    decimal SpendToDate,
    IReadOnlyDictionary<string, long> TierCounters,
    DateTimeOffset? FirstEventAt,
    DateTimeOffset WindowStart,
    IReadOnlyList<BucketTokens> WindowTokens)
{
    public static CycleUsage Empty(BillingCycle cycle, DateTimeOffset windowStart) =>
        new(cycle, 0m, new Dictionary<string, long>(), null, windowStart, []);
}
