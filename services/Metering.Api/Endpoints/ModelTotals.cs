namespace Metering.Api.Endpoints;

public sealed record ModelTotals(
    string Provider, string Model, long Events, long PromptTokens, long CompletionTokens, long CachedTokens, long BilledTokens, string Cost,
    string? EffectiveRatePerMillion, string? CacheHitRatio, Waste ReservedOutputWaste);
