using Metering.Contracts;

namespace Metering.Budget.Decisions;

/// <summary>What one evaluation decided: the new state, the projection, and the command when the level changed.</summary>
public sealed record ThrottleOutcome(SagaState State, decimal ProjectedSpend, ThrottleCommand? Command);
