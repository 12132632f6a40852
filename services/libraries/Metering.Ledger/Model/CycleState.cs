namespace Metering.Ledger.Model;

/// <summary>
/// One row per (tenant, cycle): the running totals and the version every commit bumps. Writers lock this row first,
/// in key order, which serialises all work on a cycle and so keeps its tier counters exact.
/// </summary>
public sealed class CycleState
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public long Version { get; set; }

    public long Events { get; set; }

    public decimal Cost { get; set; }

    /// <summary>The earliest <c>occurredAt</c> billed into the cycle: how long the tenant has been using it.</summary>
    public DateTimeOffset? FirstEventAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The volume-tier counter: billed tokens per (tenant, cycle, provider).</summary>
public sealed class CycleCounter
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public required string Provider { get; set; }

    public long BilledTokens { get; set; }
}

/// <summary>Tokens and cost per (tenant, cycle, provider, model, bucket, tier, rate): the invoice lines before rounding.</summary>
public sealed class CycleRollup
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public required string Bucket { get; set; }

    public int Tier { get; set; }

    /// <summary>The rate after the tier's discount.</summary>
    public decimal RatePerMillion { get; set; }

    public decimal Discount { get; set; }

    public long Tokens { get; set; }

    public decimal Amount { get; set; }
}

/// <summary>
/// Usage per hour of <c>occurredAt</c> and (tenant, cycle, provider, model, service): what cross-tenant usage reports
/// and spend projections read instead of raw entries. <see cref="Service"/> is empty when events name none.
/// </summary>
public sealed class HourlyUsage
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public DateTimeOffset Hour { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public required string Service { get; set; }

    public long Events { get; set; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    public long CacheReadTokens { get; set; }

    public long CacheReadOverCapTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long ReservedOutputWaste { get; set; }

    public decimal ReservedOutputWasteCost { get; set; }

    public decimal Cost { get; set; }
}

/// <summary>Totals per (tenant, cycle, provider, model): what a cycle summary shows, without reading entries.</summary>
public sealed class CycleModelTotals
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public long Events { get; set; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    public long BilledTokens { get; set; }

    public long ReservedOutputWaste { get; set; }

    public decimal ReservedOutputWasteCost { get; set; }

    public decimal Cost { get; set; }
}
