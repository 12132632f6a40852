using System.Text;
using Metering.Pricing.Usage;

namespace Metering.Ledger.Writing;

/// <summary>
/// Text that describes a rejected event comes from untrusted bytes; it is made storable before it is written: NUL and
/// lone surrogates become U+FFFD.
/// </summary>
public static class StorableText
{
    public static string Of(string text)
    {
        if (WellFormedText.Is(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(rune.Value == 0 ? Rune.ReplacementChar : rune); // EnumerateRunes already maps lone surrogates to U+FFFD
        }

        return builder.ToString();
    }

    public static string? OrNull(string? text) => text is null ? null : Of(text);
}
