using Metering.Contracts;

namespace Metering.Budget.Decisions;

/// <summary>The saga's memory of a tenant: the cycle it last decided for, the level in force, its last sequence.</summary>
public sealed record SagaState(string TenantId, DateOnly? Cycle, ThrottleLevel Level, long Sequence)
{
    public static SagaState Initial(string tenantId) => new(tenantId, null, ThrottleLevel.Normal, 0);
}
