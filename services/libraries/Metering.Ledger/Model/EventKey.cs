namespace Metering.Ledger.Model;

/// <summary>
/// An event's claim: one row per (tenant, event id), forever, inserted by the first statement of the transaction that
/// bills it. Its primary key is what makes an event billed once per tenant, whatever table or partition its entry is
/// in (SPEC §7, §16); a claim whose event is rejected after all is released in the same transaction.
/// </summary>
public sealed class EventKey
{
    public required string TenantId { get; set; }

    public required string EventId { get; set; }

    /// <summary>The metering transaction that billed it: what it published is published again for a duplicate.</summary>
    public Guid BatchId { get; set; }

    /// <summary>The ledger entry it was billed as.</summary>
    public long EntryId { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }
}
