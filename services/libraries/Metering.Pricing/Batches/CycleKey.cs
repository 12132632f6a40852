namespace Metering.Pricing.Batches;

/// <summary>One tenant's billing cycle: what a metering transaction locks, in this order, before it prices into it.</summary>
public readonly record struct CycleKey(string TenantId, DateOnly Cycle) : IComparable<CycleKey>
{
    public int CompareTo(CycleKey other)
    {
        var byTenant = string.CompareOrdinal(TenantId, other.TenantId);
        return byTenant != 0 ? byTenant : Cycle.CompareTo(other.Cycle);
    }
}
