using Metering.Contracts;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Budget.Decisions;

/// <summary>
/// Decides a tenant's scoped budgets (SPEC §15), pure. Each is <see cref="ThrottleDecision.Decide"/> on its own state
/// and usage — the same levels, thresholds and hysteresis as the tenant's budget. What this adds is the sequence: a
/// scope's cycle and day budgets share one, so commands stay strictly increasing per (tenant, scope) even when both
/// change in the same evaluation. The tenant's own (cycle) budget and a daily tenant budget are one scope too: the
/// tenant's sequence is the higher of its own state's and its daily budget's.
/// </summary>
public static class ScopedThrottles
{
    /// <summary>
    /// What needs deciding: every budget, and every state left above normal by a budget since deleted (so its throttle
    /// lifts). A budget without a state yet starts from normal at sequence 0; the tenant scope starts from
    /// <paramref name="tenantSequence"/>, the last sequence its own budget used.
    /// </summary>
    public static IReadOnlyList<(SagaState State, ScopedBudget? Budget)> Due(
        string tenantId, long tenantSequence, IReadOnlyList<ScopedBudget> budgets, IReadOnlyList<SagaState> states)
    {
        var known = states.ToDictionary(s => (s.Scope, s.Period));
        var due = budgets
            .Select(b => (known.GetValueOrDefault((b.Scope, b.Period)) ?? SagaState.Initial(tenantId) with { Scope = b.Scope, Period = b.Period }, (ScopedBudget?)b))
            .ToList();
        var budgeted = budgets.Select(b => (b.Scope, b.Period)).ToHashSet();
        due.AddRange(states.Where(s => s.Level != ThrottleLevel.Normal && !budgeted.Contains((s.Scope, s.Period))).Select(s => (s, (ScopedBudget?)null)));

        // a scope's sequence is the highest of its periods', whichever of them is decided first
        var sequences = states.GroupBy(s => s.Scope).ToDictionary(g => g.Key, g => g.Max(s => s.Sequence));
        sequences[BudgetScope.Tenant] = TenantSequence(tenantSequence, states);
        return [.. due.Select(d => (d.Item1 with { Sequence = sequences.GetValueOrDefault(d.Item1.Scope) }, d.Item2))];
    }

    /// <summary>The tenant scope's last sequence: the higher of its own budget's state and its daily budget's.</summary>
    public static long TenantSequence(long ownSequence, IReadOnlyList<SagaState> states) =>
        states.Where(s => s.Scope == BudgetScope.Tenant).Select(s => s.Sequence).Append(ownSequence).Max();

    public static IReadOnlyList<ThrottleOutcome> Decide(
        IReadOnlyList<ScopeEvaluation> scopes, PriceCatalog catalog, TenantSettings tenant, DateTimeOffset now, SagaSettings settings)
    {
        var sequences = scopes.GroupBy(s => s.State.Scope).ToDictionary(g => g.Key, g => g.Max(s => s.State.Sequence));
        var outcomes = new List<ThrottleOutcome>(scopes.Count);
        foreach (var scope in scopes)
        {
            var state = scope.State with { Sequence = sequences[scope.State.Scope] };
            var outcome = ThrottleDecision.Decide(state, scope.Budget?.Terms, scope.Usage, catalog, tenant, now, settings);
            sequences[scope.State.Scope] = outcome.State.Sequence;
            outcomes.Add(outcome);
        }

        return outcomes;
    }
}
