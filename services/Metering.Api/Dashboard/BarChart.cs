namespace Metering.Api.Dashboard;

/// <summary>Horizontal bars as server-rendered SVG: cost by model, cost by bucket, tokens against the next tier.</summary>
public static class BarChart
{
    public const double Width = 760;
    private const double LabelWidth = 190, TextWidth = 300, RowHeight = 28, BarHeight = 16;
    private const double TrackWidth = Width - LabelWidth - TextWidth - 16;

    public static string Render(string label, IReadOnlyList<Bar> bars)
    {
        var svg = new SvgWriter(Width, Math.Max(bars.Count, 1) * RowHeight + 4, label, "chart bar-chart");
        if (bars.Count == 0)
        {
            svg.Text(0, 18, "no usage yet in this cycle", "axis");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = i * RowHeight + 6;
            var fraction = bar.Scale <= 0m ? 0d : (double)Math.Clamp(bar.Value / bar.Scale, 0m, 1m);
            svg.Text(LabelWidth - 8, y + BarHeight - 3, bar.Label, "label", "end");
            svg.Rect(LabelWidth, y, TrackWidth, BarHeight, "track");
            svg.Rect(LabelWidth, y, TrackWidth * fraction, BarHeight, bar.Css);
            if (bar.Marker is { } marker && bar.Scale > 0m)
            {
                var x = LabelWidth + TrackWidth * (double)Math.Clamp(marker / bar.Scale, 0m, 1m);
                svg.Line(x, y - 3, x, y + BarHeight + 3, "marker");
            }

            svg.Text(LabelWidth + TrackWidth + 8, y + BarHeight - 3, bar.Text, "value");
        }

        return svg.ToString();
    }
}
