namespace Metering.Budget.Decisions;

/// <summary>One scoped budget to decide: its state, its budget (null once deleted, to lift what it left) and its usage.</summary>
public sealed record ScopeEvaluation(SagaState State, ScopedBudget? Budget, CycleUsage Usage);
