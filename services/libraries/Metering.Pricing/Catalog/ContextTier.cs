namespace Metering.Pricing.Catalog;

/// <summary>
/// Long-context pricing: a request whose prompt is strictly above <see cref="AbovePromptTokens"/> has every bucket
/// priced at <see cref="Rates"/>, the whole request, as providers bill it (SPEC §13).
/// </summary>
public sealed record ContextTier(long AbovePromptTokens, Rates Rates);
