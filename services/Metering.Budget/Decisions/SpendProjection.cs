using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Budget.Decisions;

/// <summary>
/// Projects a cycle's spend to its end (SPEC §8), on tokens, not dollars: each (provider, model, bucket) keeps the
/// token rate of the trailing window until the cycle ends; those tokens are priced through the tiers from the current
/// counters, and the actual spend is added. A provider's future buckets are assumed to keep their mix, so where its
/// projected tokens cross a tier boundary, every bucket crosses it in the same proportion.
/// </summary>
public static class SpendProjection
{
    /// <summary>The trailing window: 24 hours, or since the cycle began if that is shorter.</summary>
    public static DateTimeOffset WindowStart(BillingCycle cycle, DateTimeOffset now, TimeSpan window) =>
        now - window > cycle.Start ? now - window : cycle.Start;

    public static decimal Project(CycleUsage usage, PriceCatalog catalog, TenantSettings tenant, DateTimeOffset now, TimeSpan minimumHistory)
    {
        var remaining = usage.Cycle.End - now;
        var windowLength = now - usage.WindowStart;
        if (usage.FirstEventAt is not { } first || now - first < minimumHistory || remaining <= TimeSpan.Zero || windowLength <= TimeSpan.Zero)
        {
            return usage.SpendToDate;
        }

        var scale = (decimal)remaining.Ticks / windowLength.Ticks;
        var future = 0m;
        foreach (var provider in usage.WindowTokens.GroupBy(t => t.Provider))
        {
            var priced = provider
                .Select(t => (Tokens: t.Tokens * scale, Rate: RateOf(catalog, tenant, t, now)))
                .Where(t => t.Rate is not null && t.Tokens > 0)
                .ToList();
            var projected = priced.Sum(t => t.Tokens);
            if (projected == 0)
            {
                continue;
            }

            var schedule = priced.First().Rate!.Value.Schedule;
            var counter = usage.TierCounters.GetValueOrDefault(provider.Key);
            var multiplier = AverageMultiplier(schedule, counter, (long)decimal.Round(projected));
            future += priced.Sum(t => t.Tokens * t.Rate!.Value.PerMillion / 1_000_000m) * multiplier;
        }

        return usage.SpendToDate + future;
    }

    /// <summary>The mean of (1 − discount) over the counter positions [counter, counter + tokens).</summary>
    public static decimal AverageMultiplier(TierSchedule schedule, long counter, long tokens)
    {
        if (tokens == 0)
        {
            return schedule[schedule.TierAt(counter)].Multiplier;
        }

        var weighted = 0m;
        foreach (var span in schedule.Walk(counter, tokens))
        {
            weighted += span.Tokens * schedule[span.Tier].Multiplier;
        }

        return weighted / tokens;
    }

    private static (decimal PerMillion, TierSchedule Schedule)? RateOf(PriceCatalog catalog, TenantSettings tenant, BucketTokens tokens, DateTimeOffset now)
    {
        var entry = catalog.Find(tokens.Provider, tokens.Model, now);
        return entry is null ? null : (entry.RatePerMillion(tokens.Bucket), catalog.ScheduleFor(entry, tenant));
    }
}
