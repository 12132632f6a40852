using Metering.Contracts;
using Metering.Ledger.Model;
using Metering.Pricing;
using Metering.Pricing.Usage;

namespace Metering.Ledger.Writing;

/// <summary>One message as it arrived: its bytes and the events read from them.</summary>
public sealed record IncomingMessage(ReadOnlyMemory<byte> Body, IReadOnlyList<UsageRead> Reads)
{
    public static IncomingMessage Read(ReadOnlyMemory<byte> body) => new(body, UsageReader.ReadMessage(body));
}

/// <summary>An event that will not be billed, and where it came from.</summary>
public sealed record RejectionRecord(Rejection Rejection, UsageRead Read, IncomingMessage Message, int Position);

/// <summary>The running totals of a (tenant, cycle) as locked at the start of the transaction.</summary>
public readonly record struct CycleTotals(long Version, long Events, decimal Cost, DateTimeOffset? FirstEventAt = null);

/// <summary>A message for the outbox: written in the transaction, published after it commits.</summary>
public sealed record OutboxEnvelope(Guid Id, string MessageType, string Body);

/// <summary>
/// What one ledger transaction writes, gathered in memory from the priced events: the entries, the new counters and
/// cycle totals, the rollup and hourly deltas, the rejections and the spend updates. Pure: no I/O.
/// </summary>
public sealed class LedgerBatch(DateTimeOffset receivedAt, DateTimeOffset pricedAt)
{
    private readonly Dictionary<(string TenantId, DateOnly Cycle), CycleDelta> cycles = [];
    private readonly Dictionary<RollupKey, RollupDelta> rollups = [];
    private readonly Dictionary<HourKey, HourlyUsage> hourly = [];
    private readonly Dictionary<(string TenantId, DateOnly Cycle, string Provider, string Model), CycleModelTotals> models = [];

    public DateTimeOffset ReceivedAt => receivedAt;

    public DateTimeOffset PricedAt => pricedAt;

    public List<PricedEvent> Priced { get; } = [];

    public List<RejectionRecord> Rejections { get; } = [];

    /// <summary>Spend updates already published for events that arrived again; they are published again, unchanged.</summary>
    public HashSet<Guid> Republish { get; } = [];

    public int Duplicates { get; private set; }

    public decimal Cost { get; private set; }

    public IEnumerable<CycleRollup> Rollups => rollups.Select(r => r.Key.ToRollup(r.Value));

    public IEnumerable<HourlyUsage> Hourly => hourly.Values;

    public IEnumerable<CycleModelTotals> ModelTotals => models.Values;

    public void Add(PricedEvent priced)
    {
        Priced.Add(priced);
        Cost += priced.Price.Cost;
        var usage = priced.Usage;
        var cycle = priced.Terms.Cycle.StartDate;

        var delta = cycles.TryGetValue((usage.TenantId, cycle), out var d) ? d : new CycleDelta();
        delta.Events++;
        delta.Cost += priced.Price.Cost;
        delta.FirstEventAt = delta.FirstEventAt is { } first && first <= usage.OccurredAt ? first : usage.OccurredAt;
        cycles[(usage.TenantId, cycle)] = delta;

        var hourKey = new HourKey(usage.TenantId, cycle, HourOf(usage.OccurredAt), usage.Provider, usage.Model, usage.Service ?? string.Empty);
        if (!hourly.TryGetValue(hourKey, out var hour))
        {
            hour = hourKey.ToHourlyUsage();
            hourly[hourKey] = hour;
        }

        hour.Events++;
        hour.PromptTokens += usage.PromptTokens;
        hour.CompletionTokens += usage.CompletionTokens;
        hour.CachedTokens += usage.CachedTokens;
        hour.ReservedOutputWaste += priced.Price.ReservedOutputWaste;
        hour.ReservedOutputWasteCost += priced.Price.ReservedOutputWasteCost;
        hour.Cost += priced.Price.Cost;

        var modelKey = (usage.TenantId, cycle, usage.Provider, usage.Model);
        if (!models.TryGetValue(modelKey, out var model))
        {
            model = new CycleModelTotals { TenantId = usage.TenantId, Cycle = cycle, Provider = usage.Provider, Model = usage.Model };
            models[modelKey] = model;
        }

        model.Events++;
        model.PromptTokens += usage.PromptTokens;
        model.CompletionTokens += usage.CompletionTokens;
        model.CachedTokens += usage.CachedTokens;
        model.BilledTokens += priced.Price.BilledTokens;
        model.ReservedOutputWaste += priced.Price.ReservedOutputWaste;
        model.ReservedOutputWasteCost += priced.Price.ReservedOutputWasteCost;
        model.Cost += priced.Price.Cost;

        foreach (var charge in priced.Charges)
        {
            switch (charge.Kind)
            {
                case BucketKind.CacheRead: hour.CacheReadTokens += charge.Tokens; break;
                case BucketKind.CacheReadOverCap: hour.CacheReadOverCapTokens += charge.Tokens; break;
                case BucketKind.CacheWrite: hour.CacheWriteTokens += charge.Tokens; break;
                case BucketKind.Input: hour.InputTokens += charge.Tokens; break;
                case BucketKind.Output: hour.OutputTokens += charge.Tokens; break;
            }

            var key = new RollupKey(usage.TenantId, cycle, usage.Provider, usage.Model, charge.Kind.Name(), charge.Tier, charge.RatePerMillion);
            var rollup = rollups.GetValueOrDefault(key);
            rollups[key] = new RollupDelta(charge.Discount, rollup.Tokens + charge.Tokens, rollup.Amount + charge.Amount);
        }
    }

    public void Reject(Rejection rejection, UsageRead read, IncomingMessage message, int position) =>
        Rejections.Add(new RejectionRecord(rejection, read, message, position));

    /// <summary>An event already in the ledger arrived again: count it and publish again what its first delivery published.</summary>
    public void Duplicate(Guid? firstSpendUpdate)
    {
        Duplicates++;
        if (firstSpendUpdate is { } id)
        {
            Republish.Add(id);
        }
    }

    /// <summary>
    /// The new totals of every cycle this batch priced into, and the spend update each commit publishes; the update's
    /// id follows from (tenant, cycle, version), so it is the same however often it is published.
    /// </summary>
    public IReadOnlyList<(string TenantId, DateOnly Cycle, CycleTotals Totals, SpendUpdated Update)> CloseCycles(
        IReadOnlyDictionary<(string TenantId, DateOnly Cycle), CycleTotals> locked)
    {
        var closed = new List<(string, DateOnly, CycleTotals, SpendUpdated)>(cycles.Count);
        foreach (var ((tenantId, cycle), delta) in cycles)
        {
            var before = locked[(tenantId, cycle)];
            var first = before.FirstEventAt is { } earlier && earlier <= delta.FirstEventAt ? earlier : delta.FirstEventAt;
            var after = new CycleTotals(before.Version + 1, before.Events + delta.Events, before.Cost + delta.Cost, first);
            var update = new SpendUpdated
            {
                TenantId = tenantId,
                Cycle = cycle.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Version = after.Version,
                SpendToDate = Money.Format(after.Cost),
                Events = after.Events,
                UpdatedAt = pricedAt,
            };
            closed.Add((tenantId, cycle, after, update));
        }

        return closed;
    }

    /// <summary>The id of the spend update that a (tenant, cycle) of this batch publishes.</summary>
    public static Guid SpendUpdateId(string tenantId, DateOnly cycle, CycleTotals before) =>
        MessageIds.SpendUpdated(tenantId, cycle.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), before.Version + 1);

    private static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private sealed class CycleDelta
    {
        public long Events { get; set; }

        public decimal Cost { get; set; }

        public DateTimeOffset? FirstEventAt { get; set; }
    }

    private readonly record struct RollupKey(string TenantId, DateOnly Cycle, string Provider, string Model, string Bucket, int Tier, decimal RatePerMillion)
    {
        public CycleRollup ToRollup(RollupDelta delta) => new()
        {
            TenantId = TenantId,
            Cycle = Cycle,
            Provider = Provider,
            Model = Model,
            Bucket = Bucket,
            Tier = Tier,
            RatePerMillion = RatePerMillion,
            Discount = delta.Discount,
            Tokens = delta.Tokens,
            Amount = delta.Amount,
        };
    }

    private readonly record struct RollupDelta(decimal Discount, long Tokens, decimal Amount);

    private readonly record struct HourKey(string TenantId, DateOnly Cycle, DateTimeOffset Hour, string Provider, string Model, string Service)
    {
        public HourlyUsage ToHourlyUsage() => new()
        {
            TenantId = TenantId,
            Cycle = Cycle,
            Hour = Hour,
            Provider = Provider,
            Model = Model,
            Service = Service,
        };
    }
}
