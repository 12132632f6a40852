namespace Metering.Ledger.Catalog;

/// <summary>What seeding the built-in catalog added: entries, the pairs they price, and tier schedules.</summary>
public sealed record SeedResult(int Prices, int Pairs, int TierSchedules);
