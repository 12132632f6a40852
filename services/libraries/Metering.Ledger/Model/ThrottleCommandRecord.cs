namespace Metering.Ledger.Model;

/// <summary>Every throttle command ever issued, written with the state change; the outbox publishes it.</summary>
public sealed class ThrottleCommandRecord
{
    public Guid CommandId { get; set; }

    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public long Sequence { get; set; }

    public required string Level { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset IssuedAt { get; set; }
}
