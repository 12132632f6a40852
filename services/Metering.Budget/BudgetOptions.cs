using System.ComponentModel.DataAnnotations;
using Metering.Budget.Decisions;

namespace Metering.Budget;

/// <summary>The saga's settings, section <c>Budget</c>.</summary>
public sealed class BudgetOptions
{
    public const string Section = "Budget";

    /// <summary>How often every tenant is re-evaluated without new usage, so throttles lift when traffic stops or a cycle ends.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Budget:TickInterval must be between 1 second and 1 hour")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The request-rate factor of <c>slowdown</c>.</summary>
    [Range(typeof(decimal), "0", "1", ErrorMessage = "Budget:SlowdownRateFactor must be between 0 and 1")]
    public decimal SlowdownRateFactor { get; set; } = 0.5m;

    /// <summary>The trailing window whose token rate is projected (24 hours, or since the cycle began if shorter).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "31.00:00:00", ErrorMessage = "Budget:Window must be between 5 minutes and 31 days")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>With less usage than this in the cycle, projected spend is actual spend.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Budget:MinimumHistory must be between 0 and 7 days")]
    public TimeSpan MinimumHistory { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A level relaxes only when its value falls this fraction below its threshold.</summary>
    [Range(typeof(decimal), "0", "0.5", ErrorMessage = "Budget:Hysteresis must be between 0 and 0.5")]
    public decimal Hysteresis { get; set; } = 0.05m;

    public SagaSettings ToSettings() => new()
    {
        SlowdownRateFactor = SlowdownRateFactor,
        Hysteresis = Hysteresis,
        Window = Window,
        MinimumHistory = MinimumHistory,
    };
}
