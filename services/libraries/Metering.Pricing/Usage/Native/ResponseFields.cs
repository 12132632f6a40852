using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// Reads the fields of a provider's response with the §3 rules for counts, naming each broken rule by the field's path
/// from the envelope (<c>response.usage.prompt_tokens</c>) so that a producer can find it in what it sent.
/// Absent and null mean the same: the provider did not report it.
/// </summary>
internal static class ResponseFields
{
    public static bool TryObject(JsonElement parent, string at, string name, bool required, List<string> problems, out JsonElement value)
    {
        if (!parent.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{at}.{name} is required");
            }

            return false;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{at}.{name} must be an object, got {UsageReader.KindName(value.ValueKind)}");
            return false;
        }

        return true;
    }

    /// <summary>A count the provider always reports; null (with a problem) when it is missing or broken.</summary>
    public static long? Required(JsonElement parent, string at, string name, List<string> problems) =>
        Count(parent, at, name, required: true, problems);

    /// <summary>A count the provider reports only sometimes; 0 when it does not.</summary>
    public static long Optional(JsonElement parent, string at, string name, List<string> problems) =>
        Count(parent, at, name, required: false, problems) ?? 0;

    /// <summary>An optional count inside an optional details object (<c>prompt_tokens_details.cached_tokens</c>).</summary>
    public static long Optional(JsonElement parent, string at, string details, string name, List<string> problems) =>
        TryObject(parent, at, details, required: false, problems, out var inner) ? Optional(inner, $"{at}.{details}", name, problems) : 0;

    public static bool Has(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// The model the response names, or null. Lenient on purpose: the envelope's own <c>model</c> wins, and when it
    /// has none the caller reports the missing model once, naming <paramref name="name"/>.
    /// </summary>
    public static string? Model(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && UsageReader.TryGetWellFormed(value, out var text) && text.Length > 0
            ? text
            : null;

    private static long? Count(JsonElement parent, string at, string name, bool required, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{at}.{name} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            problems.Add($"{at}.{name} must be an integer, got {UsageReader.KindName(value.ValueKind)}");
            return null;
        }

        if (!JsonCounts.TryGetInteger(value, out var count) || count is < 0 or > UsageReader.MaxCount)
        {
            problems.Add($"{at}.{name} must be an integer from 0 to {UsageReader.MaxCount}, got {UsageReader.Shorten(value.GetRawText())}");
            return null;
        }

        return count;
    }
}
