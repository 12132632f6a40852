namespace Metering.Pricing.Usage;

/// <summary>The arrival-time rules of SPEC §5: no events from the future, none for a cycle past its grace period.</summary>
public static class Timeliness
{
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(72);

    /// <summary>A rejection when an event that occurred at <paramref name="occurredAt"/> in <paramref name="cycle"/> may not be billed on arrival at <paramref name="arrivedAt"/>.</summary>
    public static Rejection? Check(DateTimeOffset occurredAt, BillingCycle cycle, DateTimeOffset arrivedAt, TimeSpan gracePeriod)
    {
        if (occurredAt > arrivedAt + FutureTolerance)
        {
            return new Rejection(
                RejectionCodes.FutureTimestamp,
                $"occurredAt {occurredAt:O} is more than {FutureTolerance.TotalMinutes:0} minutes after the event arrived ({arrivedAt:O})");
        }

        var closesAt = cycle.End + gracePeriod;
        if (arrivedAt >= closesAt)
        {
            return new Rejection(
                RejectionCodes.CycleClosed,
                $"cycle {cycle.Name} closed at {closesAt:O} ({gracePeriod.TotalHours:0.##} h after it ended); the event arrived at {arrivedAt:O}. Re-drive it as an adjustment into the current cycle");
        }

        return null;
    }
}
