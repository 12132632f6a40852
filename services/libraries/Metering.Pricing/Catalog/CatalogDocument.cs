namespace Metering.Pricing.Catalog;

/// <summary>The catalog exactly as it is written in JSON.</summary>
public sealed class CatalogDocument
{
    public string? Currency { get; set; }

    public Dictionary<string, List<TierStepDocument>?>? TierSchedules { get; set; }

    public List<PriceDocument?>? Prices { get; set; }
}
