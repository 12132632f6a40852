namespace Metering.Pricing.Catalog.Community;

/// <summary>A community model left out of the catalog, and why.</summary>
public sealed record SkippedModel(string Provider, string Model, string Reason);
