using System.Text.Json;
using System.Text.Json.Serialization;

namespace Metering.Contracts;

/// <summary>
/// One LLM call handed over as the provider returned it (SPEC §14): the envelope names the call, and the adapter of
/// <see cref="Format"/> reads the token counts from <see cref="Response"/>, so the producer counts nothing itself.
/// Published to the same exchange as <see cref="TokenUsage"/>, and billed exactly as the counts it normalises to.
/// </summary>
public sealed record ProviderResponse
{
    public required string EventId { get; init; }

    public required string TenantId { get; init; }

    public required string Provider { get; init; }

    /// <summary>
    /// One of <c>openai-chat</c>, <c>openai-responses</c>, <c>anthropic-messages</c>, <c>deepseek-chat</c>,
    /// <c>gemini</c>, <c>bedrock-converse</c>, <c>mistral</c>.
    /// </summary>
    public required string Format { get; init; }

    /// <summary>The provider's response object, or the chunks of its stream (the last one carrying the usage).</summary>
    public required JsonElement Response { get; init; }

    /// <summary>The model billed; when absent, the one the response names (Bedrock's names none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    /// <summary>The request's <c>max_tokens</c>, which responses do not repeat; some providers bill it in full.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxTokens { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Service { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
