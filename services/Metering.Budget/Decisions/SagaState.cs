using Metering.Contracts;

namespace Metering.Budget.Decisions;

/// <summary>
/// The saga's memory of a tenant's budget: the cycle it last decided for (for a daily budget, the day), the level in
/// force, its last sequence. The tenant's own budget by default; a scoped budget's state names its scope and period,
/// and its sequence is the scope's (shared by the scope's cycle and day budgets, so it increases per (tenant, scope)).
/// </summary>
public sealed record SagaState(string TenantId, DateOnly? Cycle, ThrottleLevel Level, long Sequence)
{
    public BudgetScope Scope { get; init; } = BudgetScope.Tenant;

    public BudgetPeriod Period { get; init; } = BudgetPeriod.Cycle;

    public static SagaState Initial(string tenantId) => new(tenantId, null, ThrottleLevel.Normal, 0);
}
