namespace Metering.Api.Dashboard;

/// <summary>
/// One tenant on the overview: where its current cycle's spend stands against its budget, and the strictest level of
/// its scoped budgets in force (with how many of them are above normal).
/// </summary>
public sealed record TenantOverview(
    string TenantId,
    string Cycle,
    long Events,
    string Spend,
    string? ProjectedSpend,
    string? Budget,
    string? ProjectedBudgetUse,
    string? SpendBudgetUse,
    string ThrottleLevel,
    string ScopedLevel,
    int ThrottledScopes);
