using System.Globalization;
using System.Text.RegularExpressions;

namespace Metering.IntegrationTests.Harness;

/// <summary>Reading a service's <c>/metrics</c> scrape in tests.</summary>
public static class Prometheus
{
    /// <summary>The value of a sample whose labels include <paramref name="label"/>, or null when there is none.</summary>
    public static double? Sample(string metrics, string name, string label = "") =>
        Regex.Match(metrics, $@"(?m)^{name}\{{[^}}]*{Regex.Escape(label)}[^}}]*\}} (\S+)$") is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;
}
