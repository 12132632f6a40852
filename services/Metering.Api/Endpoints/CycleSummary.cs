namespace Metering.Api.Endpoints;

public sealed record CycleSummary(
    string TenantId,
    string Cycle,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    long Events,
    long Reversals,
    string Cost,
    long BilledTokens,
    long PromptTokens,
    long CompletionTokens,
    long CachedTokens,
    string? CacheHitRatio,
    string? EffectiveRatePerMillion,
    Waste ReservedOutputWaste,
    BudgetView? Budget,
    string? ProjectedSpend,
    string? ThrottleLevel,
    IReadOnlyList<TierPosition> Providers,
    IReadOnlyList<ModelTotals> Models,
    IReadOnlyList<BucketTotals> Buckets);
