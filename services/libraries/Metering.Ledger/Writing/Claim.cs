using Metering.Pricing;
using Metering.Pricing.Batches;

namespace Metering.Ledger.Writing;

/// <summary>What the first round trip of a metering transaction found: the events it claimed, those billed before, the tenants it holds.</summary>
/// <param name="Claimed">The events this transaction claimed, with the ledger entry id each will have if billed.</param>
/// <param name="BilledBefore">Events another transaction billed, with that transaction's batch and entry (null when it committed just now, unseen).</param>
/// <param name="Tenants">The settings of every tenant of the batch, held <c>FOR SHARE</c> until the commit.</param>
/// <param name="CatalogRevision">The catalog revision as of this transaction.</param>
public sealed record Claim(
    IReadOnlyDictionary<EventKey, long> Claimed,
    IReadOnlyDictionary<EventKey, (Guid? Batch, long? Entry)> BilledBefore,
    IReadOnlyDictionary<string, TenantSettings> Tenants,
    long? CatalogRevision);
