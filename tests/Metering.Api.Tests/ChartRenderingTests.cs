using System.Globalization;
using System.Xml.Linq;
using Metering.Api.Dashboard;

namespace Metering.Api.Tests;

/// <summary>SpendChart, BarChart, axes and number formats: well-formed SVG, the right lines in the right places, nothing unescaped.</summary>
public sealed class ChartRenderingTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ThresholdMark[] Defaults = [new("warn", 0.8m), new("slowdown", 1.0m), new("block", 1.0m)];

    [Fact]
    public void Spend_chart_draws_actual_to_now_projection_to_cycle_end_and_the_budget_with_its_thresholds()
    {
        var now = Start.AddDays(15);
        var chart = Parse(SpendChart.Render(new SpendSeries(Start, End, now, [(Start.AddDays(5), 10m), (Start.AddDays(10), 40m)], 60m, 120m, 100m, Defaults)));

        var actual = Points(chart, "actual");
        Assert.Equal(X(Start), actual[0].X, 1);
        Assert.Equal(X(now), actual[^1].X, 1);
        Assert.True(actual.Zip(actual.Skip(1)).All(p => p.Second.X >= p.First.X && p.Second.Y <= p.First.Y), "cumulative spend never goes down");

        var projected = Points(chart, "projected");
        Assert.Equal((actual[^1].X, actual[^1].Y), (projected[0].X, projected[0].Y));
        Assert.Equal(X(End), projected[1].X, 1);

        // The y axis tops out at a round 200 (above the projected 120); so the budget sits at half height, warn at 40 %.
        var budget = Lines(chart, "budget").Single();
        var warn = Lines(chart, "threshold").Single();
        var bottom = Lines(chart, "axis-line").Single().Y1;
        var height = bottom - 24;
        Assert.Equal(bottom - height * 100 / 200, budget.Y1, 1);
        Assert.Equal(bottom - height * 80 / 200, warn.Y1, 1);
        Assert.Equal(bottom - height * 120 / 200, projected[1].Y, 1);

        var labels = Texts(chart);
        Assert.Contains("warn 80%", labels);
        Assert.Contains("slowdown · block 100%", labels);
        Assert.Contains("budget $100.00", labels);
        Assert.Contains("projected $120.00", labels);
        Assert.Equal("Spend $60.00, projected $120.00 by cycle end, budget $100.00", chart.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Spend_chart_without_budget_or_projection_draws_only_the_actual_line()
    {
        var chart = Parse(SpendChart.Render(new SpendSeries(Start, End, Start.AddDays(3), [], 0m, null, null, [])));

        Assert.Single(Points(chart, "actual").Select(p => p.Y).Distinct());
        Assert.DoesNotContain(chart.Descendants(Svg + "polyline"), p => Class(p) == "projected");
        Assert.Empty(Lines(chart, "budget"));
        Assert.Equal("Spend $0.00, no budget", chart.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Bars_are_as_long_as_their_share_of_the_scale_and_a_marker_sits_at_its_value()
    {
        var chart = Parse(BarChart.Render("tiers", [new Bar("deepseek", 25m, 100m, "25 of 100", "bar tier", Marker: 50m), new Bar("openai", 150m, 100m, "over")]));

        var tracks = Rects(chart, "track");
        var bars = chart.Descendants(Svg + "rect").Where(r => Class(r).StartsWith("bar", StringComparison.Ordinal)).ToList();
        Assert.Equal(tracks[0].Width / 4, Width(bars[0]), 1);
        Assert.Equal(tracks[1].Width, Width(bars[1]), 1);   // clamped at the scale, never past the track
        var marker = Lines(chart, "marker").Single();
        Assert.Equal(tracks[0].X + tracks[0].Width / 2, marker.X1, 1);
    }

    [Fact]
    public void Hostile_labels_are_escaped_text_never_markup()
    {
        const string hostile = "<script>alert(1)</script>&\"'";
        var svg = BarChart.Render(hostile, [new Bar(hostile, 1m, 1m, hostile)]);

        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        var chart = Parse(svg);
        Assert.DoesNotContain(chart.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(hostile, Texts(chart));
    }

    [Theory]
    [InlineData("0", "1")]
    [InlineData("0.003", "0.01")]
    [InlineData("0.7", "1")]
    [InlineData("1", "1")]
    [InlineData("1.01", "2")]
    [InlineData("120", "200")]
    [InlineData("201", "250")]
    [InlineData("251", "500")]
    [InlineData("9999", "10000")]
    public void Axes_top_out_at_a_round_number_at_or_above_the_largest_value(string value, string top) =>
        Assert.Equal(decimal.Parse(top, CultureInfo.InvariantCulture), Axis.NiceCeiling(decimal.Parse(value, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("200", "0 50 100 150 200")]
    [InlineData("0.5", "0 0.1 0.2 0.3 0.4 0.5")]
    [InlineData("2.5", "0 0.5 1 1.5 2 2.5")]
    [InlineData("10", "0 2 4 6 8 10")]
    public void Gridlines_fall_on_round_amounts(string top, string ticks) =>
        Assert.Equal(ticks, string.Join(' ', Axis.Ticks(decimal.Parse(top, CultureInfo.InvariantCulture)).Select(t => Metering.Pricing.Money.Format(t))));

    [Fact]
    public void Threshold_labels_close_together_are_spread_a_line_apart()
    {
        var chart = Parse(SpendChart.Render(new SpendSeries(Start, End, Start.AddDays(2), [], 50m, null, 0.01m, Defaults)));

        var ys = chart.Descendants(Svg + "text").Where(t => Class(t).StartsWith("mark", StringComparison.Ordinal)).Select(t => D(t, "y")).Order().ToList();
        Assert.Equal(3, ys.Count);
        Assert.All(ys.Zip(ys.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 12, $"labels at {pair.First} and {pair.Second} overlap"));
    }

    [Theory]
    [InlineData("0.005", "$0.00")]        // half to even, like invoices
    [InlineData("0.015", "$0.02")]
    [InlineData("1234.565", "$1,234.56")]
    public void Dollars_are_rounded_to_cents_half_to_even(string amount, string shown) =>
        Assert.Equal(shown, Display.Usd(decimal.Parse(amount, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(999, "999")]
    [InlineData(1_500, "1.5K")]
    [InlineData(37_250_000, "37.2M")]
    [InlineData(100_000_000, "100M")]
    [InlineData(1_250_000_000, "1.25B")]
    public void Token_counts_are_shortened_for_labels(long tokens, string shown) => Assert.Equal(shown, Display.Compact(tokens));

    private static double X(DateTimeOffset at) => 70 + (at - Start).TotalSeconds / (End - Start).TotalSeconds * (760 - 70 - 150);

    private static XElement Parse(string svg) => XElement.Parse(svg);

    private static string Class(XElement element) => (string?)element.Attribute("class") ?? string.Empty;

    private static double D(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static List<(double X, double Y)> Points(XElement chart, string css) =>
        [.. chart.Descendants(Svg + "polyline").Single(p => Class(p) == css).Attribute("points")!.Value
            .Split(' ').Select(p => p.Split(',')).Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];

    private static List<(double X1, double Y1)> Lines(XElement chart, string css) =>
        [.. chart.Descendants(Svg + "line").Where(l => Class(l) == css).Select(l => (D(l, "x1"), D(l, "y1")))];

    private static List<(double X, double Width)> Rects(XElement chart, string css) =>
        [.. chart.Descendants(Svg + "rect").Where(r => Class(r) == css).Select(r => (D(r, "x"), D(r, "width")))];

    private static double Width(XElement rect) => D(rect, "width");

    private static List<string> Texts(XElement chart) => [.. chart.Descendants(Svg + "text").Select(t => t.Value)];
}
