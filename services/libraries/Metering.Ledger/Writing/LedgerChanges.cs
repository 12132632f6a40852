using System.Globalization;
using Metering.Contracts;
using Metering.Ledger.Model;
using Metering.Pricing;
using Metering.Pricing.Batches;

namespace Metering.Ledger.Writing;

/// <summary>
/// Everything the priced events of a batch add to the totals, gathered in memory: cycle totals and the spend update
/// each cycle's commit publishes, rollups (the invoice lines), hourly and minute usage, the minutes of the attribute
/// values budgets name, and per-model totals. Pure: no I/O.
/// </summary>
public sealed class LedgerChanges
{
    private readonly Dictionary<CycleKey, (long Events, decimal Cost, DateTimeOffset FirstEventAt)> cycles = [];
    private readonly Dictionary<(CycleKey Cycle, string Provider, string Model, BucketKind Bucket, int Tier, decimal Rate), CycleRollup> rollups = [];
    private readonly Dictionary<(CycleKey Cycle, DateTimeOffset Hour, string Provider, string Model, string Service), HourlyUsage> hourly = [];
    private readonly Dictionary<(CycleKey Cycle, DateTimeOffset Minute, string Provider, string Model, string Service), MinuteUsage> minutes = [];
    private readonly Dictionary<(CycleKey Cycle, string Provider, string Model), CycleModelTotals> models = [];
    private readonly Dictionary<(CycleKey Cycle, DateTimeOffset Minute, string Provider, string Model, string Key, string Value), AttributeMinuteUsage> attributeMinutes = [];

    private LedgerChanges(IReadOnlyList<CycleChange> closed) => Cycles = closed;

    /// <summary>Every cycle billed into, with its totals after the commit.</summary>
    public IReadOnlyList<CycleChange> Cycles { get; private set; }

    public IEnumerable<CycleRollup> Rollups => rollups.Values;

    public IEnumerable<HourlyUsage> Hourly => hourly.Values;

    public IEnumerable<MinuteUsage> Minutes => minutes.Values;

    public IEnumerable<CycleModelTotals> ModelTotals => models.Values;

    /// <summary>Minute usage of each attribute value the tenant's budgets name; empty for every other tenant.</summary>
    public IEnumerable<AttributeMinuteUsage> AttributeMinutes => attributeMinutes.Values;

    /// <param name="locked">The totals of every cycle the events were priced into, as locked before pricing.</param>
    /// <param name="budgetAttributes">Per tenant, the attribute values its budgets name, as <c>key=value</c> (tenants without any are absent).</param>
    public static LedgerChanges Of(
        IReadOnlyList<PricedEvent> priced, IReadOnlyDictionary<CycleKey, CycleTotals> locked, DateTimeOffset pricedAt, IReadOnlyDictionary<string, string[]>? budgetAttributes = null)
    {
        var changes = new LedgerChanges([]);
        foreach (var entry in priced)
        {
            changes.Add(entry);
            if (budgetAttributes is not null && budgetAttributes.TryGetValue(entry.Usage.TenantId, out var named) && entry.Usage.Attributes is { Count: > 0 } attributes)
            {
                changes.AddAttributes(entry, named, attributes);
            }
        }

        changes.Cycles = [.. changes.cycles.Select(c => Close(c.Key, locked[c.Key], c.Value, pricedAt))];
        return changes;
    }

    /// <summary>The spend update of a cycle's commit; its id follows from (tenant, cycle, version), so it is the same however often it is published.</summary>
    public static SpendUpdated SpendUpdateOf(CycleKey key, CycleTotals after, DateTimeOffset at) => new()
    {
        TenantId = key.TenantId,
        Cycle = key.Cycle.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Version = after.Version,
        SpendToDate = Money.Format(after.Cost),
        Events = after.Events,
        UpdatedAt = at,
    };

    private static CycleChange Close(CycleKey key, CycleTotals before, (long Events, decimal Cost, DateTimeOffset FirstEventAt) delta, DateTimeOffset pricedAt)
    {
        var first = before.FirstEventAt is { } earlier && earlier <= delta.FirstEventAt ? earlier : delta.FirstEventAt;
        var after = new CycleTotals(before.Version + 1, before.Events + delta.Events, before.Cost + delta.Cost, first);
        return new CycleChange(key, after, SpendUpdateOf(key, after, pricedAt));
    }

    private void Add(PricedEvent priced)
    {
        var usage = priced.Usage;
        var cycle = new CycleKey(usage.TenantId, priced.Terms.Cycle.StartDate);
        var price = priced.Price;

        var delta = cycles.GetValueOrDefault(cycle, (0, 0m, usage.OccurredAt));
        cycles[cycle] = (delta.Events + 1, delta.Cost + price.Cost, delta.FirstEventAt <= usage.OccurredAt ? delta.FirstEventAt : usage.OccurredAt);

        var hourKey = (cycle, UsageTime.HourOf(usage.OccurredAt), usage.Provider, usage.Model, usage.Service ?? string.Empty);
        if (!hourly.TryGetValue(hourKey, out var hour))
        {
            hour = new HourlyUsage
            {
                TenantId = cycle.TenantId, Cycle = cycle.Cycle, Hour = hourKey.Item2, Provider = usage.Provider, Model = usage.Model, Service = hourKey.Item5,
            };
            hourly[hourKey] = hour;
        }

        var minuteKey = (cycle, UsageTime.MinuteOf(usage.OccurredAt), usage.Provider, usage.Model, hourKey.Item5);
        if (!minutes.TryGetValue(minuteKey, out var minute))
        {
            minute = new MinuteUsage
            {
                TenantId = cycle.TenantId, Cycle = cycle.Cycle, Minute = minuteKey.Item2, Provider = usage.Provider, Model = usage.Model, Service = hourKey.Item5,
            };
            minutes[minuteKey] = minute;
        }

        minute.Events++;
        minute.Cost += price.Cost;
        minute.LastEventAt = minute.LastEventAt >= usage.OccurredAt ? minute.LastEventAt : usage.OccurredAt;

        hour.Events++;
        hour.PromptTokens += usage.PromptTokens;
        hour.CompletionTokens += usage.CompletionTokens;
        hour.CachedTokens += usage.CachedTokens;
        hour.ReservedOutputWaste += price.ReservedOutputWaste;
        hour.ReservedOutputWasteCost += price.ReservedOutputWasteCost;
        hour.Cost += price.Cost;

        var modelKey = (cycle, usage.Provider, usage.Model);
        if (!models.TryGetValue(modelKey, out var model))
        {
            model = new CycleModelTotals { TenantId = cycle.TenantId, Cycle = cycle.Cycle, Provider = usage.Provider, Model = usage.Model };
            models[modelKey] = model;
        }

        model.Events++;
        model.PromptTokens += usage.PromptTokens;
        model.CompletionTokens += usage.CompletionTokens;
        model.CachedTokens += usage.CachedTokens;
        model.ReasoningTokens += usage.ReasoningTokens;
        model.BilledTokens += price.BilledTokens;
        model.ReservedOutputWaste += price.ReservedOutputWaste;
        model.ReservedOutputWasteCost += price.ReservedOutputWasteCost;
        model.Cost += price.Cost;

        foreach (var charge in priced.Charges)
        {
            switch (charge.Kind)
            {
                case BucketKind.CacheRead: hour.CacheReadTokens += charge.Tokens; minute.CacheReadTokens += charge.Tokens; break;
                case BucketKind.CacheReadOverCap: hour.CacheReadOverCapTokens += charge.Tokens; minute.CacheReadOverCapTokens += charge.Tokens; break;
                case BucketKind.CacheWrite: hour.CacheWriteTokens += charge.Tokens; minute.CacheWriteTokens += charge.Tokens; break;
                case BucketKind.Input: hour.InputTokens += charge.Tokens; minute.InputTokens += charge.Tokens; break;
                case BucketKind.Output or BucketKind.Reasoning: hour.OutputTokens += charge.Tokens; minute.OutputTokens += charge.Tokens; break;
            }

            var rollupKey = (cycle, usage.Provider, usage.Model, charge.Kind, charge.Tier, charge.RatePerMillion);
            if (!rollups.TryGetValue(rollupKey, out var rollup))
            {
                rollup = new CycleRollup
                {
                    TenantId = cycle.TenantId, Cycle = cycle.Cycle, Provider = usage.Provider, Model = usage.Model, Bucket = charge.Kind.Name(),
                    Tier = charge.Tier, RatePerMillion = charge.RatePerMillion, Discount = charge.Discount, Kind = RollupKinds.Charge,
                };
                rollups[rollupKey] = rollup;
            }

            rollup.Tokens += charge.Tokens;
            rollup.Amount += charge.Amount;
        }
    }

    private void AddAttributes(PricedEvent priced, string[] named, IReadOnlyDictionary<string, string> attributes)
    {
        var usage = priced.Usage;
        var cycle = new CycleKey(usage.TenantId, priced.Terms.Cycle.StartDate);
        foreach (var pair in named)
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = (pair[..split], pair[(split + 1)..]);
            if (!attributes.TryGetValue(key, out var carried) || !string.Equals(carried, value, StringComparison.Ordinal))
            {
                continue;
            }

            var rowKey = (cycle, UsageTime.MinuteOf(usage.OccurredAt), usage.Provider, usage.Model, key, value);
            if (!attributeMinutes.TryGetValue(rowKey, out var row))
            {
                row = new AttributeMinuteUsage
                {
                    TenantId = cycle.TenantId, Cycle = cycle.Cycle, Minute = rowKey.Item2, Provider = usage.Provider, Model = usage.Model, AttributeKey = key, AttributeValue = value,
                };
                attributeMinutes[rowKey] = row;
            }

            row.Events++;
            row.Cost += priced.Price.Cost;
            row.LastEventAt = row.LastEventAt >= usage.OccurredAt ? row.LastEventAt : usage.OccurredAt;
            foreach (var charge in priced.Charges)
            {
                switch (charge.Kind)
                {
                    case BucketKind.CacheRead: row.CacheReadTokens += charge.Tokens; break;
                    case BucketKind.CacheReadOverCap: row.CacheReadOverCapTokens += charge.Tokens; break;
                    case BucketKind.CacheWrite: row.CacheWriteTokens += charge.Tokens; break;
                    case BucketKind.Input: row.InputTokens += charge.Tokens; break;
                    case BucketKind.Output or BucketKind.Reasoning: row.OutputTokens += charge.Tokens; break;
                }
            }
        }
    }
}
