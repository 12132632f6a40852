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

    public decimal? ReasoningPerMillion { get; set; }

    public bool BillsReservedOutput { get; set; }

    public string? TierSchedule { get; set; }

    /// <summary>The match rule, context tiers and daily windows, in their catalog JSON form; null when the entry has none.</summary>
    public string? Terms { get; set; }

    /// <summary>Where the entry came from (e.g. <c>genai-prices 0.1.8</c>); null for SPEC §4's and our own.</summary>
    public string? Source { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
