namespace Metering.Pricing;

/// <summary>
/// When and how an event reached the meter; absent for offline pricing, which has no arrival time.
/// </summary>
/// <param name="At">When it arrived: it may not claim to have happened more than 5 minutes later, and its cycle must
/// still accept late events then (SPEC §5).</param>
/// <param name="AdjustAt">Price it as an adjustment into the tenant's cycle that contains this instant (a re-drive of
/// a late event); the timeliness rules then do not apply.</param>
/// <param name="OpenAt">Its cycle must still accept late events at this instant too (a re-drive as received is judged
/// by when the event first arrived, and its cycle must not have closed since).</param>
public readonly record struct Arrival(DateTimeOffset At, TimeSpan GracePeriod, DateTimeOffset? AdjustAt = null, DateTimeOffset? OpenAt = null);
