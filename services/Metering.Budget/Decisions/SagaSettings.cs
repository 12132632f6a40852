namespace Metering.Budget.Decisions;

/// <summary>How the saga decides: the slowdown's rate factor, the hysteresis, the projection's window and minimum history.</summary>
public sealed record SagaSettings
{
    public decimal SlowdownRateFactor { get; init; } = 0.5m;

    /// <summary>A level relaxes only once its value is this fraction below its threshold.</summary>
    public decimal Hysteresis { get; init; } = 0.05m;

    public TimeSpan Window { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Below this much usage in the cycle, projected spend is actual spend.</summary>
    public TimeSpan MinimumHistory { get; init; } = TimeSpan.FromHours(1);
}
