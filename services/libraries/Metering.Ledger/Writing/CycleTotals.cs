namespace Metering.Ledger.Writing;

/// <summary>The running totals of a (tenant, cycle): as locked at the start of a transaction, or as it leaves them.</summary>
public readonly record struct CycleTotals(long Version, long Events, decimal Cost, DateTimeOffset? FirstEventAt = null);
