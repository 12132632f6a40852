using System.Text.Json;
using Metering.Pricing.Usage.Native;

namespace Metering.Pricing.Usage;

/// <summary>
/// The provider-native door of SPEC §14: an envelope with a <c>format</c> carries the provider's own
/// <c>response</c> instead of §3 counts. Only the counts and the model come from elsewhere; every other field of the
/// envelope is read by the §3 rules in <see cref="ReadFields"/>.
/// </summary>
public static partial class UsageReader
{
    /// <summary>
    /// The counts an adapter normalised from <c>response</c>, with the model: the envelope's when it names one, else the
    /// response's. Null (with the problems) when the envelope or the response breaks a rule.
    /// </summary>
    private static NativeUsage? ReadNative(JsonElement envelope, JsonElement format, List<string> problems)
    {
        var before = problems.Count;
        var envelopeModel = ReadText(envelope, "model", required: false, maxLength: null, problems);
        if (format.ValueKind != JsonValueKind.String || !TryGetWellFormed(format, out var name))
        {
            problems.Add($"format must be a string naming one of {string.Join(", ", NativeUsageAdapters.Formats)}, got {KindName(format.ValueKind)}");
            return null;
        }

        if (NativeUsageAdapters.Find(name) is not { } adapter)
        {
            problems.Add($"format must be one of {string.Join(", ", NativeUsageAdapters.Formats)}, got '{Shorten(name)}'");
            return null;
        }

        if (!envelope.TryGetProperty("response", out var response) || response.ValueKind == JsonValueKind.Null)
        {
            problems.Add($"response is required with format '{name}': the provider's response, or its stream's final usage");
            return null;
        }

        if (NativeUsageAdapters.Read(adapter, response, problems) is not { } usage)
        {
            return null;
        }

        var model = envelopeModel ?? usage.Model;
        if (model is null)
        {
            problems.Add(usage.ModelField is { } field
                ? $"model is required: the envelope has none and {field} names none"
                : $"model is required: a {name} response names no model, so the envelope must");
        }

        foreach (var (count, field) in new[] { (usage.PromptTokens, "promptTokens"), (usage.CompletionTokens, "completionTokens") })
        {
            if (count > MaxCount)
            {
                problems.Add($"{field} as normalised from the {name} response must be at most {MaxCount}, got {count}");
            }
        }

        return problems.Count == before && model is not null ? usage with { Model = model } : null;
    }
}
