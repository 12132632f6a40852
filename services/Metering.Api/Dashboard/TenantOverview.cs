namespace Metering.Api.Dashboard;

/// <summary>One tenant on the overview: where its current cycle's spend stands against its budget.</summary>
public sealed record TenantOverview(
    string TenantId,
    string Cycle,
    long Events,
    string Spend,
    string? ProjectedSpend,
    string? Budget,
    string? ProjectedBudgetUse,
    string? SpendBudgetUse,
    string ThrottleLevel);
