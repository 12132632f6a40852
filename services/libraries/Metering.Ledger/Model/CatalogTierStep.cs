namespace Metering.Ledger.Model;

public sealed record CatalogTierStep(long FromTokens, decimal Discount);
