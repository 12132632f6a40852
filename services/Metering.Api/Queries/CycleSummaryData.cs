using Metering.Ledger.Model;
using Metering.Pricing.Catalog;

namespace Metering.Api.Queries;

/// <summary>Everything a cycle summary shows, read from the rollups in one round trip.</summary>
public sealed record CycleSummaryData(
    CycleState? State,
    IReadOnlyList<CycleModelTotals> Models,
    IReadOnlyList<(string Provider, string Model, string Bucket, long Tokens, decimal Amount)> Buckets,
    IReadOnlyList<(string Provider, long BilledTokens)> Counters,
    TenantBudget? Budget,
    (DateOnly? Cycle, string Level, decimal ProjectedSpend)? Throttle,
    PriceCatalog Catalog);
