using System.Xml.Linq;
using Metering.Api.Dashboard;
using Metering.Api.Endpoints;
using Metering.Api.Queries;
using Metering.Ledger.Model;
using Metering.Pricing.Catalog;

namespace Metering.Api.Tests;

/// <summary>What the dashboard draws from a cycle summary: the bars add up to the summary's own figures.</summary>
public sealed class ChartsFromSummaryTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reserved_output_waste_is_drawn_apart_from_the_output_it_is_billed_in()
    {
        var charts = Charts(
            buckets: [new("deepseek", "deepseek-v4-pro", "cache-read", 128_000, "0.00896"), new("deepseek", "deepseek-v4-pro", "input", 72_000, "0.04032"),
                new("deepseek", "deepseek-v4-pro", "output", 4_000, "0.00448")],
            waste: new Waste(3_000, "0.00336"));

        var bars = Values(charts.Buckets);
        Assert.Equal(["cache-read", "input", "output (used)", "reserved-output waste"], bars.Select(b => b.Label));
        Assert.Equal(["$0.01 · 128K tokens", "$0.04 · 72K tokens", "$0.00 · 1K tokens", "$0.00 · 3K tokens"], bars.Select(b => b.Text));
    }

    [Fact]
    public void A_provider_below_its_next_tier_shows_how_far_it_is_and_the_discount_waiting_there()
    {
        var charts = Charts(providers:
        [
            new TierPosition("deepseek", 62_500_000, "deepseek-volume", 0, "0", 100_000_000, 37_500_000, "0.75"),
            new TierPosition("openai", 2_000_000, "flat", 0, "0", null, null, null),
        ]);

        var bars = Values(charts.Tiers);
        Assert.Equal(("deepseek", "62.5M of 100M · 37.5M to 75% off"), (bars[0].Label, bars[0].Text));
        Assert.Equal(("openai", "2M · no volume discount"), (bars[1].Label, bars[1].Text));
    }

    private static DashboardCharts Charts(IReadOnlyList<BucketTotals>? buckets = null, Waste? waste = null, IReadOnlyList<TierPosition>? providers = null)
    {
        var summary = new CycleSummary(
            "acme", "2026-11-01", Start, Start.AddMonths(1), "open", 1, 0, "0.05376", 0, 0, 0, 0, 0, null, null, waste ?? new Waste(0, "0"), null, null, null,
            providers ?? [], [], buckets ?? []);
        var data = new CycleSummaryData(null, [], [], [], null, null, PriceCatalog.Default);
        return DashboardCharts.Of(summary, data, [], Start.AddDays(3));
    }

    private static List<(string Label, string Text)> Values(string svg)
    {
        var texts = XElement.Parse(svg).Descendants(Svg + "text").ToList();
        var labels = texts.Where(t => (string?)t.Attribute("class") == "label").Select(t => t.Value).ToList();
        var values = texts.Where(t => (string?)t.Attribute("class") == "value").Select(t => t.Value).ToList();
        return [.. labels.Zip(values)];
    }
}
