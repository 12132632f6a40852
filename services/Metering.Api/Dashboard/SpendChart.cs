namespace Metering.Api.Dashboard;

/// <summary>
/// Spend so far against the budget, as server-rendered SVG: the actual line up to now, the projection as a dashed line
/// to the cycle's end, the budget and its thresholds as horizontal marks.
/// </summary>
public static class SpendChart
{
    public const double Width = 760;
    public const double Height = 260;
    private const double Left = 70, Right = 150, Top = 24, Bottom = 28;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public static string Render(SpendSeries series)
    {
        var label = $"Spend {Display.Usd(series.SpendToDate)}"
            + (series.Projected is { } p ? $", projected {Display.Usd(p)} by cycle end" : string.Empty)
            + (series.Budget is { } b ? $", budget {Display.Usd(b)}" : ", no budget");
        var svg = new SvgWriter(Width, Height, label, "chart spend-chart");
        var top = Axis.NiceCeiling(new[]
        {
            series.SpendToDate,
            series.Projected ?? 0m,
            series.Budget is { } budget ? budget * Math.Max(1m, series.Thresholds.Select(t => t.Fraction).DefaultIfEmpty(1m).Max()) : 0m,
        }.Max());
        var span = (series.CycleEnd - series.CycleStart).TotalSeconds;
        double X(DateTimeOffset at) => Left + (Math.Clamp((at - series.CycleStart).TotalSeconds, 0, span) / span * PlotWidth);
        double Y(decimal amount) => Top + PlotHeight - (double)(amount / top) * PlotHeight;

        foreach (var tick in Axis.Ticks(top))
        {
            svg.Line(Left, Y(tick), Left + PlotWidth, Y(tick), "grid");
            svg.Text(Left - 6, Y(tick) + 4, Display.Usd(tick), "axis", "end");
        }

        foreach (var day in DayTicks(series.CycleStart, series.CycleEnd))
        {
            svg.Text(X(day), Height - 8, day.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture), "axis", "middle");
        }

        if (series.Budget is { } amount)
        {
            // Thresholds at the same fraction share one line: at the defaults, the budget, slowdown and block coincide.
            var labels = new List<(double Y, string Text, string Css)> { (Y(amount), $"budget {Display.Usd(amount)}", "mark budget-label") };
            foreach (var mark in series.Thresholds.GroupBy(t => t.Fraction).OrderBy(g => g.Key))
            {
                var y = Y(amount * mark.Key);
                svg.Line(Left, y, Left + PlotWidth, y, mark.Key == 1m ? "budget" : "threshold");
                labels.Add((y, $"{string.Join(" · ", mark.Select(t => t.Level))} {Display.Percent(mark.Key)}", "mark"));
            }

            if (series.Thresholds.All(t => t.Fraction != 1m))
            {
                svg.Line(Left, Y(amount), Left + PlotWidth, Y(amount), "budget");
            }

            foreach (var (y, text, css) in Spread(labels))
            {
                svg.Text(Left + PlotWidth + 6, y + 4, text, css);
            }
        }

        var nowX = X(series.Now);
        svg.Line(nowX, Top, nowX, Top + PlotHeight, "now");
        svg.Text(nowX, Top - 8, "now", "axis", "middle");

        // Flat at zero until the hour of the first usage, then through the running total at the end of each hour.
        var actual = new List<(double, double)> { (X(series.CycleStart), Y(0m)) };
        if (series.Spent.Count > 0)
        {
            actual.Add((X(series.Spent[0].At - Hour), Y(0m)));
        }

        actual.AddRange(series.Spent.Where(p => p.At <= series.Now).Select(p => (X(p.At), Y(p.Spend))));
        actual.Add((nowX, Y(series.SpendToDate)));
        svg.Polyline(actual, "actual");
        if (series.Projected is { } projected)
        {
            svg.Polyline([(nowX, Y(series.SpendToDate)), (X(series.CycleEnd), Y(projected))], "projected");
            // Above the line's end or below it, whichever is further from the budget and threshold lines.
            var marks = series.Budget is { } limit ? series.Thresholds.Select(t => Y(limit * t.Fraction)).Append(Y(limit)).ToList() : [];
            double Clearance(double baseline) => marks.Select(y => Math.Abs(y - (baseline - 4))).DefaultIfEmpty(double.MaxValue).Min();
            var (above, below) = (Y(projected) - 6, Y(projected) + 14);
            var labelY = Clearance(above) >= Math.Min(Clearance(below), 10) ? above : below;
            svg.Text(X(series.CycleEnd) - 4, labelY, $"projected {Display.Usd(projected)}", "mark projected-label", "end");
        }

        svg.Line(Left, Top + PlotHeight, Left + PlotWidth, Top + PlotHeight, "axis-line");
        return svg.ToString();
    }

    /// <summary>Labels at least a line apart, in the order of their lines, so close thresholds stay readable.</summary>
    private static IEnumerable<(double Y, string Text, string Css)> Spread(IEnumerable<(double Y, string Text, string Css)> labels)
    {
        const double lineHeight = 12;
        var placed = new List<(double Y, string Text, string Css)>();
        foreach (var label in labels.OrderByDescending(l => l.Y))
        {
            var y = placed.Count == 0 ? label.Y : Math.Min(label.Y, placed[^1].Y - lineHeight);
            placed.Add((y, label.Text, label.Css));
        }

        return placed;
    }

    /// <summary>The cycle's first day and every seventh after it, at most five labels.</summary>
    private static IEnumerable<DateTimeOffset> DayTicks(DateTimeOffset start, DateTimeOffset end)
    {
        for (var day = start; day < end; day = day.AddDays(7))
        {
            yield return day;
        }
    }
}
