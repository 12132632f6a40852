using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Budget.Decisions;

/// <summary>
/// Projects a cycle's spend to its end (SPEC §8) — or a daily budget's to 24:00 UTC — on tokens, not dollars: each (provider, model, bucket) keeps the
/// token rate of the trailing window until the cycle ends; those tokens are priced through the tiers from the current
/// counters, and the actual spend is added. A provider's future buckets are assumed to keep their mix, so where its
/// projected tokens cross a tier boundary, every bucket crosses it in the same proportion.
/// <para>
/// Traffic that has stopped projects nothing more: once the tenant has been silent for <see cref="SilentGaps"/> of
/// the window's mean gaps between events, and at least <see cref="MinimumSilence"/>, projected spend is actual spend,
/// so a throttle lifts at the first tick after that instead of a whole window later.
/// </para>
/// </summary>
public static class SpendProjection
{
    /// <summary>How many mean gaps of silence mean the traffic has stopped rather than paused.</summary>
    public const int SilentGaps = 10;

    /// <summary>The shortest silence taken as stopped, so a busy tenant's second-long hiccup does not flap its throttle.</summary>
    public static readonly TimeSpan MinimumSilence = TimeSpan.FromSeconds(30);

    /// <summary>The trailing window: 24 hours, or since the cycle began if that is shorter.</summary>
    public static DateTimeOffset WindowStart(BillingCycle cycle, DateTimeOffset now, TimeSpan window) => WindowStart(cycle.Start, now, window);

    /// <summary>The trailing window of a budget's span: it reaches no further back than the span's start (a daily budget: 00:00 UTC).</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset spanStart, DateTimeOffset now, TimeSpan window) =>
        now - window > spanStart ? now - window : spanStart;

    public static decimal Project(CycleUsage usage, PriceCatalog catalog, TenantSettings tenant, DateTimeOffset now, TimeSpan minimumHistory)
    {
        var remaining = usage.Span.End - now;
        var windowLength = now - usage.WindowStart;
        if (usage.FirstEventAt is not { } first || now - first < minimumHistory || remaining <= TimeSpan.Zero || windowLength <= TimeSpan.Zero)
        {
            return usage.SpendToDate;
        }

        if (HasStopped(usage, now, windowLength))
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

    /// <summary>Whether the window's traffic has been silent for <see cref="SilentGaps"/> mean gaps and <see cref="MinimumSilence"/>.</summary>
    public static bool HasStopped(CycleUsage usage, DateTimeOffset now, TimeSpan windowLength)
    {
        if (usage.LastEventAt is not { } last || usage.WindowEvents == 0)
        {
            return false;
        }

        var silence = now - last;
        var meanGap = windowLength / usage.WindowEvents;
        return silence >= MinimumSilence && silence > meanGap * SilentGaps;
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
