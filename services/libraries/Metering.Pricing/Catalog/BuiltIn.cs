namespace Metering.Pricing.Catalog;

/// <summary>
/// The catalog this assembly ships (SPEC §13): SPEC §4's entries, data file <c>default-catalog.json</c>, plus the
/// community snapshot, <c>community-catalog.json</c> (converted from <c>@pydantic/genai-prices</c>), for every pair
/// SPEC §4 does not define. Where both define a pair, §4's entries are kept and the community's rules for that model
/// are added to them, so the names the community knows for it (dated snapshots, aliases) price at §4's rates.
/// </summary>
internal static class BuiltIn
{
    public static PriceCatalog Spec { get; } = Read("Metering.Pricing.default-catalog.json");

    public static PriceCatalog Load() => Compose(Spec, Read("Metering.Pricing.community-catalog.json"));

    /// <summary>The <paramref name="primary"/> catalog with every pair of <paramref name="community"/> it does not define.</summary>
    public static PriceCatalog Compose(PriceCatalog primary, PriceCatalog community)
    {
        var ours = primary.Prices.Select(p => (p.Provider, p.Model)).ToHashSet();
        var rules = community.Prices.Where(p => p.Match is not null && ours.Contains((p.Provider, p.Model)))
            .GroupBy(p => (p.Provider, p.Model))
            .ToDictionary(g => g.Key, g => g.Last().Match);
        var prices = primary.Prices
            .Select(p => p.Match is null && rules.TryGetValue((p.Provider, p.Model), out var match) ? p with { Match = match } : p)
            .Concat(community.Prices.Where(p => !ours.Contains((p.Provider, p.Model))));
        var fallbacks = community.ProviderFallbacks.Concat(primary.ProviderFallbacks)
            .GroupBy(f => f.Key)
            .ToDictionary(g => g.Key, g => g.Last().Value);
        return new PriceCatalog(primary.Currency, primary.TierSchedules.Values, prices, fallbacks);
    }

    private static PriceCatalog Read(string resource)
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the catalog resource {resource} is missing from Metering.Pricing");
        return CatalogJson.Read(stream);
    }
}
