namespace Metering.Ledger.Model;

/// <summary>One catalog price entry. Never updated: a price change is a new row.</summary>
public sealed class CatalogPrice
{
    public long Id { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public DateTimeOffset EffectiveFrom { get; set; }

    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    public decimal? CacheReadPerMillion { get; set; }

    public long? CacheReadCapTokens { get; set; }

    public decimal? CacheWritePerMillion { get; set; }

    public bool BillsReservedOutput { get; set; }

    public string? TierSchedule { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
