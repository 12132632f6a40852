using Metering.Pricing.Catalog;

namespace Metering.Api.Endpoints;

/// <summary>
/// One page of the catalog: its prices in catalog order (the order match rules are tried in), filtered; the tier
/// schedules and provider fallbacks whole. <see cref="Total"/> counts the entries the filter selects.
/// </summary>
public sealed record CatalogPage(
    string Currency,
    Dictionary<string, List<TierStepDocument>?>? TierSchedules,
    Dictionary<string, List<string>?>? ProviderFallbacks,
    IReadOnlyList<PriceDocument?> Prices,
    int Total,
    string? NextCursor);
