namespace Metering.Ledger.Model;

/// <summary>
/// An event that was not billed, with the exact bytes it arrived as. Identical bytes at the same position of a message
/// are stored once, so a redelivered bad message does not pile up copies.
/// </summary>
public sealed class RejectedEvent
{
    public long Id { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public required string Code { get; set; }

    public required string Message { get; set; }

    public required byte[] Raw { get; set; }

    /// <summary>SHA-256 of the whole message body the event came in.</summary>
    public required byte[] BodyHash { get; set; }

    /// <summary>The event's index in its message (0 for a single-event message or a body that is not JSON).</summary>
    public int Position { get; set; }

    public string? EventId { get; set; }

    public string? TenantId { get; set; }

    public DateTimeOffset? RedrivenAt { get; set; }

    /// <summary>What the last re-drive did: priced, or the code it was rejected with again.</summary>
    public string? RedriveOutcome { get; set; }

    public long? LedgerEntryId { get; set; }
}
