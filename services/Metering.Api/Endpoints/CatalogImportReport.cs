namespace Metering.Api.Endpoints;

/// <summary>What <c>POST /v1/catalog/import</c> did: the entries it added, and the models it left alone or out, and why.</summary>
public sealed record CatalogImportReport(
    string Source,
    int Models,
    int Added,
    IReadOnlyList<string> AddedEntries,
    int Unchanged,
    IReadOnlyList<string> Kept,
    IReadOnlyList<string> Skipped,
    IReadOnlyDictionary<string, int> UnmeteredPriceKeys);
