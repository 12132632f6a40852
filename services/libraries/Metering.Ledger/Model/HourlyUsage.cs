namespace Metering.Ledger.Model;

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
