using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Testing.Projection;

/// <summary>
/// One synthetic cycle replayed on a fake clock (SPEC §15): calls of a <see cref="TrafficShape"/> are priced one by one
/// by the real pricing session, their tokens kept per minute as <c>minute_usage</c> keeps them, and at each
/// checkpoint the saga's own <see cref="SpendProjection"/> projects the cycle from what the saga would read then.
/// The final spend is known at the end, so each projection's error is exact.
/// </summary>
public sealed class ProjectionReplay
{
    private const string Tenant = "replay";
    private const string Provider = "deepseek";
    private const string Model = "deepseek-v4-pro";
    private static readonly BucketKind[] Buckets = [BucketKind.CacheRead, BucketKind.CacheReadOverCap, BucketKind.CacheWrite, BucketKind.Input, BucketKind.Output];

    private readonly TenantSettings settings = TenantSettings.DefaultFor(Tenant);
    private readonly PricingSession session;
    private readonly BillingCycle cycle;
    private readonly TimeSpan window;
    private readonly TimeSpan minimumHistory;

    // Running totals since the cycle began, and their value at the start of each minute: a window is a difference.
    private readonly long[] totals = new long[Buckets.Length + 1];
    private readonly List<long[]> atMinute = [];
    private decimal spend;
    private DateTimeOffset? first;
    private DateTimeOffset? last;

    private ProjectionReplay(BillingCycle cycle, TimeSpan window, TimeSpan minimumHistory)
    {
        session = new PricingSession(PriceCatalog.Default, _ => settings);
        this.cycle = cycle;
        this.window = window;
        this.minimumHistory = minimumHistory;
    }

    /// <summary>
    /// Replays <paramref name="shape"/> over <paramref name="cycle"/>, projecting at each of <paramref name="checkpoints"/>
    /// (times since the cycle began) and, once traffic has stopped, every <paramref name="tick"/> until the projection
    /// equals the actual spend.
    /// </summary>
    public static ProjectionRun Run(
        TrafficShape shape, BillingCycle cycle, IReadOnlyList<TimeSpan> checkpoints, TimeSpan window, TimeSpan minimumHistory, TimeSpan tick, int seed = 42)
    {
        var replay = new ProjectionReplay(cycle, window, minimumHistory);
        var random = new Random(seed);
        var projections = new List<(TimeSpan At, decimal Projected, decimal Actual)>();
        var pending = new Queue<TimeSpan>(checkpoints.Order());
        TimeSpan? stoppedAt = null, settledAfter = null;
        var credit = 0.0;
        var sequence = 0L;
        for (var second = TimeSpan.Zero; second < cycle.Length; second += TimeSpan.FromSeconds(1))
        {
            var now = cycle.Start + second;
            if (second.Ticks % TimeSpan.TicksPerMinute == 0)
            {
                replay.atMinute.Add((long[])replay.totals.Clone());
            }

            while (pending.TryPeek(out var checkpoint) && checkpoint <= second)
            {
                projections.Add((pending.Dequeue(), replay.Project(now), replay.spend));
            }

            var rate = shape.CallsPerSecond(second, cycle.Length);
            if (rate == 0 && replay.last is not null && stoppedAt is null)
            {
                stoppedAt = second;
            }

            if (stoppedAt is { } stop && settledAfter is null && (second - stop).Ticks % tick.Ticks == 0 && replay.Project(now) == replay.spend)
            {
                settledAfter = second - stop;
            }

            for (credit += rate; credit >= 1; credit--)
            {
                replay.Call(now.AddMilliseconds(random.Next(1_000)), random, ++sequence);
            }
        }

        return new ProjectionRun(shape.Name, replay.spend, [.. projections], settledAfter);
    }

    private void Call(DateTimeOffset at, Random random, long sequence)
    {
        var prompt = random.NextInt64(500, 3_500);
        var priced = session.Price(new TokenUsage
        {
            EventId = $"e-{sequence}",
            TenantId = Tenant,
            Provider = Provider,
            Model = Model,
            PromptTokens = prompt,
            CachedTokens = (long)(prompt * random.NextDouble() * 0.6),
            CompletionTokens = random.NextInt64(100, 500),
            OccurredAt = at,
        }).Priced!;
        spend += priced.Price.Cost;
        first ??= at;
        last = last > at ? last : at;
        foreach (var charge in priced.Charges)
        {
            var bucket = Array.IndexOf(Buckets, charge.Kind is BucketKind.Reasoning ? BucketKind.Output : charge.Kind);
            totals[bucket] += charge.Tokens;
        }

        totals[^1]++;
    }

    /// <summary>What the saga projects at <paramref name="now"/>, from the minutes it would read.</summary>
    private decimal Project(DateTimeOffset now)
    {
        var start = SpendProjection.WindowStart(cycle, now, window);
        var minute = (int)((start - cycle.Start).Ticks / TimeSpan.TicksPerMinute);
        var windowStart = cycle.Start + TimeSpan.FromMinutes(minute);
        var before = minute < atMinute.Count ? atMinute[minute] : totals;
        var tokens = Buckets.Select((bucket, i) => new BucketTokens(Provider, Model, bucket, totals[i] - before[i])).ToList();
        var counters = session.TierCounters.Where(c => c.Key.Cycle == cycle.StartDate).ToDictionary(c => c.Key.Provider, c => c.Value);
        var usage = new CycleUsage(cycle, spend, counters, first, windowStart, tokens) { WindowEvents = totals[^1] - before[^1], LastEventAt = last };
        return SpendProjection.Project(usage, PriceCatalog.Default, settings, now, minimumHistory);
    }
}
