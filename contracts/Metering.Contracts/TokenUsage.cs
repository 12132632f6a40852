using System.Text.Json.Serialization;

namespace Metering.Contracts;

/// <summary>
/// One LLM call's token usage, published by a backend service to the fanout exchange
/// <c>metering.token-usage</c> as raw JSON (SPEC §3). Token counts follow the OpenAI convention:
/// <see cref="PromptTokens"/> includes <see cref="CachedTokens"/> and <see cref="CacheWriteTokens"/>.
/// </summary>
public sealed record TokenUsage
{
    public required string EventId { get; init; }

    public required string TenantId { get; init; }

    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required long PromptTokens { get; init; }

    /// <summary>Includes reasoning tokens.</summary>
    public required long CompletionTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CachedTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CacheWriteTokens { get; init; }

    /// <summary>Reasoning (thinking) tokens: part of <see cref="CompletionTokens"/>, never added to it (SPEC §13).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long ReasoningTokens { get; init; }

    /// <summary>The request's <c>max_tokens</c>; some providers bill it in full (reserved output).</summary>
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
