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

    /// <summary>Net of reversals.</summary>
    public decimal Cost { get; set; }

    /// <summary>Reversal entries in the cycle; <see cref="Events"/> counts the events billed, reversed or not.</summary>
    public long Reversals { get; set; }

    /// <summary>The earliest <c>occurredAt</c> billed into the cycle: how long the tenant has been using it.</summary>
    public DateTimeOffset? FirstEventAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
