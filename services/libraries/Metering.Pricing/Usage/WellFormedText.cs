namespace Metering.Pricing.Usage;

/// <summary>
/// Text a database can store: no NUL character and no lone UTF-16 surrogate. JSON can carry both (<c>\u0000</c>,
/// <c>\ud800</c>), so event fields are checked before an event is accepted.
/// </summary>
public static class WellFormedText
{
    public static bool Is(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
