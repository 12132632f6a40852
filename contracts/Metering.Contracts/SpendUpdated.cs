namespace Metering.Contracts;

/// <summary>
/// Published by the metering consumer after a ledger transaction commits, once per (tenant, cycle) it touched.
/// <see cref="Version"/> increases by one with every commit for that cycle; the message id is derived from
/// (tenant, cycle, version), so a republished update carries the id it had the first time.
/// </summary>
public sealed record SpendUpdated
{
    public required string TenantId { get; init; }

    /// <summary>The cycle's name: its start date, e.g. <c>2026-11-01</c>.</summary>
    public required string Cycle { get; init; }

    public required long Version { get; init; }

    /// <summary>The cycle's cost so far, exact and unrounded, as a decimal string.</summary>
    public required string SpendToDate { get; init; }

    public required long Events { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public Guid MessageId => MessageIds.SpendUpdated(TenantId, Cycle, Version);
}
