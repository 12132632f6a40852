using System.Globalization;
using System.Security;
using System.Text;

namespace Metering.Api.Dashboard;

/// <summary>
/// Writes the few SVG elements the dashboard's charts need. Every text is escaped; colours come from CSS classes, so the
/// page's content-security policy can forbid inline styles.
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder svg = new();

    public SvgWriter(double width, double height, string label, string css)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(width)} {N(height)}\" class=\"{css}\" role=\"img\" aria-label=\"{Escape(label)}\">")
            .Append("<title>").Append(Escape(label)).Append("</title>");
    }

    public void Line(double x1, double y1, double x2, double y2, string css) =>
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" class=\"{css}\"/>");

    public void Polyline(IEnumerable<(double X, double Y)> points, string css) =>
        svg.Append("<polyline points=\"").AppendJoin(' ', points.Select(p => N(p.X) + "," + N(p.Y))).Append("\" class=\"").Append(css).Append("\"/>");

    public void Rect(double x, double y, double width, double height, string css) =>
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(width, 0))}\" height=\"{N(height)}\" class=\"{css}\"/>");

    public void Text(double x, double y, string text, string css, string anchor = "start") =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" class=\"{css}\">").Append(Escape(text)).Append("</text>");

    public override string ToString() => svg.ToString() + "</svg>";

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
