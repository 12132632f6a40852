namespace Metering.Contracts;

/// <summary>What a <see cref="RedriveRejection"/> did.</summary>
public sealed record RedriveCompleted
{
    public required long RejectionId { get; init; }

    /// <summary><c>billed</c>, <c>billed-as-adjustment</c>, <c>already-billed</c>, <c>not-found</c>, <c>unreadable</c> or <c>rejected</c>.</summary>
    public required string Outcome { get; init; }

    public long? LedgerEntryId { get; init; }

    public string? Cycle { get; init; }

    public string? Cost { get; init; }

    /// <summary>For <c>rejected</c>, the code it was rejected with again; for <c>rejected</c> and <c>unreadable</c>, why.</summary>
    public string? Code { get; init; }

    public string? Message { get; init; }
}
