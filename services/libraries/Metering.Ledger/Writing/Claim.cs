using Metering.Pricing;
using Metering.Pricing.Batches;

namespace Metering.Ledger.Writing;

/// <summary>What the claim of a metering transaction found: the events it claimed, and those billed before.</summary>
/// <param name="Claimed">The events this transaction claimed, with the ledger entry id each will have if billed.</param>
/// <param name="BilledBefore">Events another transaction billed, with that transaction's batch and entry (null when it committed just now, unseen).</param>
public sealed record Claim(
    IReadOnlyDictionary<EventKey, long> Claimed,
    IReadOnlyDictionary<EventKey, (Guid? Batch, long? Entry)> BilledBefore);
