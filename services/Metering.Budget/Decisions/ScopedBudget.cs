using Metering.Contracts;

namespace Metering.Budget.Decisions;

/// <summary>A budget on one scope of a tenant's traffic, per cycle or per UTC day (SPEC §15), with the thresholds of SPEC §8.</summary>
public sealed record ScopedBudget(BudgetScope Scope, BudgetPeriod Period, BudgetTerms Terms);
