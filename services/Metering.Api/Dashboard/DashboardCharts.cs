using System.Globalization;
using Metering.Api.Endpoints;
using Metering.Api.Queries;
using Metering.Pricing;

namespace Metering.Api.Dashboard;

/// <summary>Server-rendered SVG, escaped and styled by class, ready to place in the page.</summary>
public sealed record DashboardCharts(string Spend, string Tiers, string Models, string Buckets)
{
    public static DashboardCharts Of(CycleSummary summary, CycleSummaryData data, IReadOnlyList<(DateTimeOffset At, decimal Spend)> spent, DateTimeOffset now)
    {
        var cost = Amount(summary.Cost);
        var budget = data.Budget;
        var spend = SpendChart.Render(new SpendSeries(
            summary.Start,
            summary.End,
            now,
            spent,
            cost,
            summary.ProjectedSpend is { } projected ? Amount(projected) : null,
            budget?.Amount,
            budget is null ? [] : [new("warn", budget.WarnAt), new("slowdown", budget.SlowdownAt), new("block", budget.BlockAt)]));

        var tiers = BarChart.Render("Billed tokens per provider against its next volume tier", [.. summary.Providers.Select(TierBar)]);

        var maxModel = summary.Models.Select(m => Amount(m.Cost)).DefaultIfEmpty(0m).Max();
        var models = BarChart.Render("Cost by model", [.. summary.Models
            .OrderByDescending(m => Amount(m.Cost))
            .Select(m => new Bar($"{m.Provider} / {m.Model}", Amount(m.Cost), maxModel, $"{Display.Usd(Amount(m.Cost))} · {Display.Compact(m.BilledTokens)} tokens"))]);

        var byBucket = summary.Buckets.GroupBy(b => b.Bucket).OrderBy(g => CycleEndpoints.BucketOrder(g.Key))
            .Select(g => (Bucket: g.Key, Tokens: g.Sum(b => b.Tokens), Cost: g.Sum(b => Amount(b.Cost))))
            .ToList();
        var waste = summary.ReservedOutputWaste;
        var rows = new List<(string Label, long Tokens, decimal Cost, string Css)>();
        foreach (var (bucket, tokens, amount) in byBucket)
        {
            // Reserved-output waste is billed in the output bucket; show it as its own bar so the two add up to output.
            rows.Add(bucket == "output"
                ? ("output (used)", tokens - waste.Tokens, amount - Amount(waste.Cost), "bar bucket-output")
                : (bucket, tokens, amount, "bar bucket-" + bucket));
        }

        if (waste.Tokens > 0)
        {
            rows.Add(("reserved-output waste", waste.Tokens, Amount(waste.Cost), "bar bucket-waste"));
        }

        var maxBucket = rows.Select(r => r.Cost).DefaultIfEmpty(0m).Max();
        var buckets = BarChart.Render("Cost by bucket", [.. rows.Select(r => new Bar(r.Label, r.Cost, maxBucket, $"{Display.Usd(r.Cost)} · {Display.Compact(r.Tokens)} tokens", r.Css))]);
        return new DashboardCharts(spend, tiers, models, buckets);
    }

    /// <summary>A provider's billed tokens on a track that ends at its next tier boundary (or at its count, on the last tier).</summary>
    private static Bar TierBar(TierPosition p)
    {
        if (p.NextTierFrom is not { } next)
        {
            var text = p.Tier == 0 ? "no volume discount" : $"top tier, {Display.Percent(Amount(p.Discount))} off";
            return new Bar(p.Provider, p.BilledTokens, p.BilledTokens, $"{Display.Compact(p.BilledTokens)} · {text}", "bar tier-top");
        }

        var toNext = $"{Display.Compact(p.BilledTokens)} of {Display.Compact(next)} · {Display.Compact(p.TokensToNextTier ?? 0)} to {Display.Percent(Amount(p.NextDiscount ?? "0"))} off";
        return new Bar(p.Provider, p.BilledTokens, next, toNext, "bar tier");
    }

    private static decimal Amount(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
