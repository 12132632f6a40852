namespace Metering.Ledger.Model;

/// <summary>
/// A (tenant, cycle) whose grace period has ended and whose <c>cycle.closed</c> event was written: the key that makes
/// the announcement happen once, whichever budget instance finds the cycle closed first.
/// </summary>
public sealed class CycleClosing
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public DateTimeOffset AnnouncedAt { get; set; }
}
