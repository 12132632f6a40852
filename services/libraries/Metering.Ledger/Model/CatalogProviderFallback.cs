namespace Metering.Ledger.Model;

/// <summary>A provider whose unknown model names are looked up in other providers' catalog entries, in order (SPEC §13).</summary>
public sealed class CatalogProviderFallback
{
    public required string Provider { get; set; }

    public required List<string> Fallbacks { get; set; }
}
