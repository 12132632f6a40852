namespace Metering.Budget.Decisions;

/// <summary>A tenant's budget per cycle and its thresholds, as fractions of the amount (SPEC §8).</summary>
public sealed record BudgetTerms(decimal Amount, decimal WarnAt = 0.8m, decimal SlowdownAt = 1.0m, decimal BlockAt = 1.0m);
