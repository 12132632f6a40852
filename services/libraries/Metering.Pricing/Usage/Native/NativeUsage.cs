namespace Metering.Pricing.Usage.Native;

/// <summary>
/// The §3 counts an adapter normalised from a provider's own response: <see cref="PromptTokens"/> includes cache
/// reads and cache writes, <see cref="CompletionTokens"/> includes reasoning, whatever the provider's convention was.
/// </summary>
/// <param name="Model">The model the response names, or null when it names none (Bedrock Converse never does).</param>
/// <param name="ModelField">Where the model was looked for (<c>response.model</c>), for the message when it is missing.</param>
public sealed record NativeUsage(
    long PromptTokens,
    long CompletionTokens,
    long CachedTokens,
    long CacheWriteTokens,
    long ReasoningTokens,
    string? Model,
    string? ModelField);
