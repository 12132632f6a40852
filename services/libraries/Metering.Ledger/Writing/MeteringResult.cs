using Metering.Pricing.Batches;

namespace Metering.Ledger.Writing;

/// <summary>What one metering transaction committed.</summary>
/// <param name="EntryIds">The ledger entry of every event it billed, and of every duplicate whose entry it could see.</param>
public sealed record MeteringResult(BatchOutcome Outcome, IReadOnlyList<CycleChange> Cycles, IReadOnlyDictionary<EventKey, long> EntryIds)
{
    public static MeteringResult Empty(BatchOutcome outcome) => new(outcome, [], new Dictionary<EventKey, long>());
}
