using Metering.Ledger.Model;
using Metering.Pricing;

namespace Metering.Api.Endpoints;

/// <summary>
/// A scoped budget and where its scope stands, as the saga last evaluated it: level, spend to date and projected spend
/// over the budget's period (since the cycle began, or since 00:00 UTC for a daily budget), and that period's start.
/// </summary>
public sealed record ScopedBudgetView(
    Guid Id,
    string TenantId,
    ScopeInput Scope,
    string Period,
    string Amount,
    string WarnAt,
    string SlowdownAt,
    string BlockAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Level,
    string? SpendToDate,
    string? ProjectedSpend,
    DateOnly? PeriodStart,
    DateTimeOffset? EvaluatedAt)
{
    public static ScopedBudgetView Of(ScopeBudget budget, ScopeThrottleState? state) => new(
        budget.Id,
        budget.TenantId,
        new ScopeInput(budget.ScopeKind, budget.ScopeValue),
        budget.Period,
        Money.Format(budget.Amount),
        Money.Format(budget.WarnAt),
        Money.Format(budget.SlowdownAt),
        Money.Format(budget.BlockAt),
        budget.CreatedAt,
        budget.UpdatedAt,
        state?.Level ?? "normal",
        state is null ? null : Money.Format(state.SpendToDate),
        state is null ? null : Money.Format(state.ProjectedSpend),
        state?.PeriodStart,
        state?.EvaluatedAt);
}
