using System.Collections.Frozen;
using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>The adapters of SPEC §14 by the envelope's <c>format</c> value.</summary>
public static class NativeUsageAdapters
{
    private static readonly FrozenDictionary<string, INativeUsageAdapter> ByFormat = new INativeUsageAdapter[]
    {
        new OpenAiChatAdapter(),
        new OpenAiResponsesAdapter(),
        new AnthropicMessagesAdapter(),
        new DeepSeekChatAdapter(),
        new GeminiAdapter(),
        new BedrockConverseAdapter(),
        new MistralAdapter(),
    }.ToFrozenDictionary(adapter => adapter.Format, StringComparer.Ordinal);

    /// <summary>Every format value, in the order SPEC §14 lists them (for messages that name the choices).</summary>
    public static IReadOnlyList<string> Formats { get; } =
        ["openai-chat", "openai-responses", "anthropic-messages", "deepseek-chat", "gemini", "bedrock-converse", "mistral"];

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
