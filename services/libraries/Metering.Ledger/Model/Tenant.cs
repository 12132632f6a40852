namespace Metering.Ledger.Model;

/// <summary>A tenant's settings. Tenants without a row get the defaults: anchor day 1, no tier overrides.</summary>
public sealed class Tenant
{
    public required string TenantId { get; set; }

    public int CycleAnchorDay { get; set; } = 1;

    /// <summary>provider → tier schedule name.</summary>
    public Dictionary<string, string> TierSchedules { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

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

/// <summary>A named tier schedule; its steps as JSON.</summary>
public sealed class CatalogTierSchedule
{
    public required string Name { get; set; }

    public required List<CatalogTierStep> Steps { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record CatalogTierStep(long FromTokens, decimal Discount);

/// <summary>The single row whose revision every catalog change bumps, so consumers know when to reload.</summary>
public sealed class CatalogRevision
{
    public int Id { get; set; } = 1;

    public long Revision { get; set; }
}
