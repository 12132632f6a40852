namespace Metering.Contracts;

/// <summary>What a <see cref="ReverseEntry"/> did.</summary>
public sealed record EntryReversal
{
    public required string TenantId { get; init; }

    public required long EntryId { get; init; }

    /// <summary><c>reversed</c>, <c>not-found</c>, <c>already-reversed</c> or <c>is-a-reversal</c>.</summary>
    public required string Outcome { get; init; }

    public long? ReversalId { get; init; }

    public string? Cycle { get; init; }

    /// <summary>The reversal's cost: the original's, negated.</summary>
    public string? Cost { get; init; }
}
