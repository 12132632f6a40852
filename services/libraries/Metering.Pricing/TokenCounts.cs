using Metering.Contracts;

namespace Metering.Pricing;

/// <summary>The token counts of one event, as the pricing function needs them.</summary>
/// <param name="Reasoning">Part of <paramref name="Completion"/>, never added to it.</param>
public readonly record struct TokenCounts(long Prompt, long Completion, long Cached = 0, long CacheWrite = 0, long? MaxTokens = null, long Reasoning = 0)
{
    public static TokenCounts Of(TokenUsage usage) =>
        new(usage.PromptTokens, usage.CompletionTokens, usage.CachedTokens, usage.CacheWriteTokens, usage.MaxTokens, usage.ReasoningTokens);

    /// <summary>Prompt tokens that are neither cache reads nor cache writes.</summary>
    public long PlainInput => Prompt - Cached - CacheWrite;
}
