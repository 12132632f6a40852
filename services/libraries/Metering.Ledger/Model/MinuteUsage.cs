namespace Metering.Ledger.Model;

/// <summary>
/// Tokens and cost per minute of <c>occurredAt</c> and (tenant, cycle, provider, model, service), by bucket: what the
/// budget saga's projection reads (SPEC §15), so that any trailing window from five minutes to 31 days is exact to the
/// minute. Kept <see cref="RetentionDays"/> days; reports read <see cref="HourlyUsage"/>, which is kept for good.
/// <see cref="Service"/> is empty when events name none.
/// </summary>
public sealed class MinuteUsage
{
    /// <summary>The longest projection window (31 days) and a day of slack: older minutes are pruned by the saga's tick.</summary>
    public const int RetentionDays = 32;

    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public DateTimeOffset Minute { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public required string Service { get; set; }

    public long Events { get; set; }

    public long CacheReadTokens { get; set; }

    public long CacheReadOverCapTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    public long InputTokens { get; set; }

    /// <summary>Output tokens, reasoning included (the projection prices them at the output rate).</summary>
    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }

    /// <summary>When the latest event of the minute occurred: the projection's measure of how long traffic has been silent.</summary>
    public DateTimeOffset LastEventAt { get; set; }
}
