using System.Text.Json;

namespace Metering.Pricing.Usage;

/// <summary>
/// JSON Schema's notion of an integer, shared by the §3 reader and the provider-native adapters so that a count means
/// the same in both: 1200 and 1200.0 are both 1200, 12.5 is not an integer.
/// </summary>
internal static class JsonCounts
{
    public static bool TryGetInteger(JsonElement number, out long count)
    {
        if (number.TryGetInt64(out count))
        {
            return true;
        }

        if (number.TryGetDecimal(out var value) && decimal.Truncate(value) == value && value is >= long.MinValue and <= long.MaxValue)
        {
            count = (long)value;
            return true;
        }

        count = 0;
        return false;
    }
}
