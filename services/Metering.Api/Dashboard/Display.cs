using System.Globalization;
using Metering.Pricing;

namespace Metering.Api.Dashboard;

/// <summary>How the dashboard writes numbers for people: dollars rounded to cents half to even, as invoices are.</summary>
public static class Display
{
    /// <summary>US dollars as people write them ($1,234.56), without needing culture data (services run invariant).</summary>
    private static readonly NumberFormatInfo Dollars = new() { CurrencySymbol = "$", CurrencyPositivePattern = 0, CurrencyNegativePattern = 1 };

    public static string Usd(decimal amount) => Money.ToCents(amount).ToString("C2", Dollars);

    public static string Tokens(long tokens) => tokens.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>1.2K, 37.5M, 1.25B: short enough for an axis or a bar label.</summary>
    public static string Compact(long tokens) => Math.Abs(tokens) switch
    {
        >= 1_000_000_000 => Short(tokens / 1_000_000_000m) + "B",
        >= 1_000_000 => Short(tokens / 1_000_000m) + "M",
        >= 1_000 => Short(tokens / 1_000m) + "K",
        _ => tokens.ToString(CultureInfo.InvariantCulture),
    };

    public static string Percent(decimal fraction) => Money.Format(Math.Round(fraction * 100m, 1, MidpointRounding.ToEven)) + "%";

    private static string Short(decimal value) => Math.Round(value, value < 10 ? 2 : 1, MidpointRounding.ToEven).ToString("0.##", CultureInfo.InvariantCulture);
}
