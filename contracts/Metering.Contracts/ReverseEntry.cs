namespace Metering.Contracts;

/// <summary>
/// Asks the metering worker to reverse a ledger entry (SPEC §6): a reversal entry that negates it, in the same cycle.
/// Answered with <see cref="EntryReversal"/>.
/// </summary>
public sealed record ReverseEntry
{
    public required string TenantId { get; init; }

    public required long EntryId { get; init; }

    public required string Reason { get; init; }

    /// <summary>Who asked: the API key's id.</summary>
    public required string RequestedBy { get; init; }
}
