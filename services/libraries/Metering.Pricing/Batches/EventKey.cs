namespace Metering.Pricing.Batches;

/// <summary>An event's identity: unique per tenant, forever (SPEC §7).</summary>
public readonly record struct EventKey(string TenantId, string EventId) : IComparable<EventKey>
{
    /// <summary>Ordinal, tenant first: the order keys are claimed in, so that two claimers never deadlock.</summary>
    public int CompareTo(EventKey other)
    {
        var byTenant = string.CompareOrdinal(TenantId, other.TenantId);
        return byTenant != 0 ? byTenant : string.CompareOrdinal(EventId, other.EventId);
    }
}
