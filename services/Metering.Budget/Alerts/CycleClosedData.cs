namespace Metering.Budget.Alerts;

/// <summary>The <c>data</c> of <c>cycle.closed</c>: the totals of a tenant's cycle when its grace period ended.</summary>
/// <param name="Events">Events billed in the cycle, reversed or not.</param>
/// <param name="Reversals">Reversal entries in the cycle.</param>
/// <param name="Cost">Net of reversals, exact and unrounded (the invoice rounds per line).</param>
public sealed record CycleClosedData(
    string TenantId, string Cycle, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset ClosedAt, long Events, long Reversals, string Cost);
