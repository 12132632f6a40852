namespace Metering.Samples.Gateway;

/// <summary>How a tenant's traffic moves over time.</summary>
public enum TrafficShape
{
    /// <summary>An even rate.</summary>
    Steady,

    /// <summary>Quiet, then five times the rate for a while.</summary>
    Bursty,

    /// <summary>A loop gone wrong: the rate doubles every minute, with long prompts.</summary>
    Runaway,

    /// <summary>Very large deepseek prompts, soon past the 100M-token discount tier.</summary>
    Whale,
}
