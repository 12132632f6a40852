using System.Globalization;

namespace Metering.Pricing;

/// <summary>How amounts are written in JSON and CSV: invariant decimal strings, exact, without trailing zeros.</summary>
public static class Money
{
    /// <summary><c>2250.000000</c> → <c>"2250"</c>, <c>0.00000014</c> → <c>"0.00000014"</c>; never exponent notation.</summary>
    public static string Format(decimal amount) => Normalize(amount).ToString(CultureInfo.InvariantCulture);

    /// <summary>The same value with the smallest scale that represents it exactly.</summary>
    public static decimal Normalize(decimal amount) => amount / 1.0000000000000000000000000000m;

    /// <summary>Rounds to cents, half to even: how invoice lines are rounded (SPEC §4).</summary>
    public static decimal ToCents(decimal amount) => Math.Round(amount, 2, MidpointRounding.ToEven);
}
