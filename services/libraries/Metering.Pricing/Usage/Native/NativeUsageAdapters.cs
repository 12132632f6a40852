using System.Collections.Frozen;
using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>The adapters of SPEC §14 by the envelope's <c>format</c> value.</summary>
public static class NativeUsageAdapters
{
    /// <summary>In the order SPEC §14 lists them, which is the order messages name the choices in.</summary>
    private static readonly INativeUsageAdapter[] All =
    [
        new OpenAiChatAdapter(),
        new OpenAiResponsesAdapter(),
        new AnthropicMessagesAdapter(),
        new DeepSeekChatAdapter(),
        new GeminiAdapter(),
        new BedrockConverseAdapter(),
        new MistralAdapter(),
    ];

    private static readonly FrozenDictionary<string, INativeUsageAdapter> ByFormat =
        All.ToFrozenDictionary(adapter => adapter.Format, StringComparer.Ordinal);

    /// <summary>Every format value, for messages that name the choices.</summary>
    public static IReadOnlyList<string> Formats { get; } = [.. All.Select(adapter => adapter.Format)];

    public static INativeUsageAdapter? Find(string format) => ByFormat.GetValueOrDefault(format);

    /// <summary>
    /// The adapter's counts, or null when anything was wrong: an adapter may count what it could read before
    /// finding a broken field, and a half-read response must never be billed.
    /// </summary>
    public static NativeUsage? Read(INativeUsageAdapter adapter, JsonElement response, List<string> problems)
    {
        var before = problems.Count;
        var usage = adapter.Read(response, problems);
        return problems.Count == before ? usage : null;
    }
}
