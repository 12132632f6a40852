namespace Metering.Pricing.Catalog;

/// <summary>Where a converted catalog came from: the dataset, its version and date, and its licence notice.</summary>
public sealed class CatalogSourceDocument
{
    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? Date { get; set; }

    public string? Url { get; set; }

    public string? Licence { get; set; }

    public string? Notice { get; set; }
}
