using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// Reads one provider's response (or the final usage of its stream) into §3 counts (SPEC §14), so that producers can
/// hand over what the provider gave them instead of counting tokens themselves.
/// </summary>
public interface INativeUsageAdapter
{
    /// <summary>The envelope's <c>format</c> value that selects this adapter, e.g. <c>openai-chat</c>.</summary>
    string Format { get; }

    /// <summary>
    /// The normalised counts, or null when the response breaks a rule; every broken rule is then added to
    /// <paramref name="problems"/> naming the field by its path from the envelope (<c>response.usage.prompt_tokens</c>).
    /// Never throws on bad input.
    /// </summary>
    NativeUsage? Read(JsonElement response, List<string> problems);
}
