namespace Metering.Ledger.Model;

/// <summary>
/// <see cref="MinuteUsage"/> by one attribute value instead of by service, kept only for the attribute values some
/// budget of the tenant names (<see cref="Tenant.BudgetAttributes"/>): what an attribute-scoped budget's projection
/// reads. Filled by the metering transaction from then on, and from the current cycle's ledger entries when a budget
/// first names the value; pruned like <see cref="MinuteUsage"/>.
/// </summary>
public sealed class AttributeMinuteUsage
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public DateTimeOffset Minute { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public required string AttributeKey { get; set; }

    public required string AttributeValue { get; set; }

    public long Events { get; set; }

    public long CacheReadTokens { get; set; }

    public long CacheReadOverCapTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }

    public DateTimeOffset LastEventAt { get; set; }
}
