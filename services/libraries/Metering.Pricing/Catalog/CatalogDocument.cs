using System.Text.Json.Serialization;

namespace Metering.Pricing.Catalog;

/// <summary>The catalog exactly as it is written in JSON.</summary>
public sealed class CatalogDocument
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CatalogSourceDocument? Source { get; set; }

    public string? Currency { get; set; }

    public Dictionary<string, List<TierStepDocument>?>? TierSchedules { get; set; }

    /// <summary>Providers whose unknown model names are looked up in other providers' entries, in order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, List<string>?>? ProviderFallbacks { get; set; }

    public List<PriceDocument?>? Prices { get; set; }
}
