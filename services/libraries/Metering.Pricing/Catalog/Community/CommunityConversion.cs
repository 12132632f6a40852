namespace Metering.Pricing.Catalog.Community;

/// <summary>
/// A community dataset converted into our catalog form: the catalog (with its source and licence notice), the
/// models left out and why, and the price dimensions we carry no counts for (priced at nothing for our events,
/// exactly as the dataset's own calculator prices a usage without them).
/// </summary>
public sealed record CommunityConversion(
    CatalogDocument Document,
    PriceCatalog Catalog,
    int Models,
    IReadOnlyList<SkippedModel> Skipped,
    IReadOnlyDictionary<string, int> UnmeteredPriceKeys);
