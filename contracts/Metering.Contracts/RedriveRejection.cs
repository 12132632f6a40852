namespace Metering.Contracts;

/// <summary>
/// Asks the metering worker, the one writer of the ledger, to price a rejected event again (SPEC §7). Answered with
/// <see cref="RedriveCompleted"/>. Idempotent: the event is billed at most once however often it is asked.
/// </summary>
public sealed record RedriveRejection
{
    public required long RejectionId { get; init; }

    /// <summary>Bill it as an adjustment into the tenant's current cycle; else as received (its own cycle must still be open).</summary>
    public required bool AsAdjustment { get; init; }
}
