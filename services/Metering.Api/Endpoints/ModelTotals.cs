namespace Metering.Api.Endpoints;

public sealed record ModelTotals(
    string Provider, string Model, string? PricedAs, long Events, long PromptTokens, long CompletionTokens, long CachedTokens, long ReasoningTokens,
    long BilledTokens, string Cost,
    string? EffectiveRatePerMillion, string? CacheHitRatio, Waste ReservedOutputWaste);
