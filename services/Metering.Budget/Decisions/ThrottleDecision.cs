using System.Globalization;
using Metering.Contracts;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Budget.Decisions;

/// <summary>
/// The throttle decision of the budget saga, pure: (state, budget, usage, time) → (new state, command). The level is the highest
/// whose threshold is crossed — warn and slowdown by projected spend, block by actual spend — and a level in force is
/// relaxed only when its value falls <see cref="SagaSettings.Hysteresis"/> below its threshold. A new cycle starts afresh,
/// and so does a new day for a daily budget. The same decision serves the tenant's budget and every scoped one: the
/// state says whose it is, the usage what it covers.
/// </summary>
public static class ThrottleDecision
{
    public static ThrottleOutcome Decide(
        SagaState state, BudgetTerms? budget, CycleUsage usage, PriceCatalog catalog, TenantSettings tenant, DateTimeOffset now, SagaSettings settings)
    {
        var projected = SpendProjection.Project(usage, catalog, tenant, now, settings.MinimumHistory);
        var span = usage.Span.StartDate;
        var previous = state.Cycle == span ? state.Level : ThrottleLevel.Normal;
        var level = budget is null ? ThrottleLevel.Normal : LevelFor(previous, budget, usage.SpendToDate, projected, settings.Hysteresis);

        var changed = level != state.Level || (state.Cycle != span && level != ThrottleLevel.Normal);
        if (!changed)
        {
            return new ThrottleOutcome(state with { Cycle = span }, projected, null);
        }

        var sequence = state.Sequence + 1;
        var scoped = state.Scope.Kind != ScopeKind.Tenant || state.Period != BudgetPeriod.Cycle;
        var command = new ThrottleCommand
        {
            CommandId = scoped
                ? MessageIds.ThrottleCommand(state.TenantId, state.Scope, usage.Span.Name, sequence)
                : MessageIds.ThrottleCommand(state.TenantId, usage.Cycle.Name, sequence),
            TenantId = state.TenantId,
            Cycle = usage.Cycle.Name,
            Scope = scoped ? state.Scope : null,
            Period = scoped ? state.Period : null,
            Level = level,
            RequestRateFactor = level switch
            {
                ThrottleLevel.Slowdown => settings.SlowdownRateFactor,
                ThrottleLevel.Block => 0m,
                _ => 1m,
            },
            Reason = (scoped ? $"{state.Scope} per {state.Period.Name()}: " : string.Empty) + Reason(level, budget, usage, projected, state.Cycle != span),
            SpendToDate = Cents(usage.SpendToDate),
            ProjectedSpend = Cents(projected),
            Budget = budget is null ? null : Cents(budget.Amount),
            Sequence = sequence,
            IssuedAt = now,
            ExpiresAt = usage.Span.End,
        };
        return new ThrottleOutcome(state with { Cycle = span, Level = level, Sequence = sequence }, projected, command);
    }

    /// <summary>The highest crossed level; a higher level already in force holds while its value stays within the hysteresis.</summary>
    public static ThrottleLevel LevelFor(ThrottleLevel current, BudgetTerms budget, decimal actual, decimal projected, decimal hysteresis)
    {
        var candidate = ThrottleLevel.Normal;
        foreach (var level in (ThrottleLevel[])[ThrottleLevel.Warn, ThrottleLevel.Slowdown, ThrottleLevel.Block])
        {
            if (ValueOf(level, actual, projected) >= Threshold(level, budget))
            {
                candidate = level;
            }
        }

        for (var held = current; held > candidate; held--)
        {
            if (ValueOf(held, actual, projected) >= Threshold(held, budget) * (1 - hysteresis))
            {
                return held;
            }
        }

        return candidate;
    }

    private static decimal ValueOf(ThrottleLevel level, decimal actual, decimal projected) => level == ThrottleLevel.Block ? actual : projected;

    private static decimal Threshold(ThrottleLevel level, BudgetTerms budget) => budget.Amount * level switch
    {
        ThrottleLevel.Warn => budget.WarnAt,
        ThrottleLevel.Slowdown => budget.SlowdownAt,
        _ => budget.BlockAt,
    };

    private static string Reason(ThrottleLevel level, BudgetTerms? budget, CycleUsage usage, decimal projected, bool newSpan)
    {
        if (budget is null)
        {
            return "no budget";
        }

        string Share(decimal fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
        return level switch
        {
            ThrottleLevel.Block => $"spend to date {Cents(usage.SpendToDate)} ≥ {Share(budget.BlockAt)} of budget {Cents(budget.Amount)}",
            ThrottleLevel.Slowdown => $"projected spend {Cents(projected)} ≥ {Share(budget.SlowdownAt)} of budget {Cents(budget.Amount)}",
            ThrottleLevel.Warn => $"projected spend {Cents(projected)} ≥ {Share(budget.WarnAt)} of budget {Cents(budget.Amount)}",
            _ when newSpan => $"new {usage.Span.Period.Name()} {usage.Span.Name}",
            _ => $"projected spend {Cents(projected)} back below {Share(budget.WarnAt)} of budget {Cents(budget.Amount)}",
        };
    }

    private static string Cents(decimal amount) => Money.ToCents(amount).ToString("0.00", CultureInfo.InvariantCulture);
}
