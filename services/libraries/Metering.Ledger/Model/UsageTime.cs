namespace Metering.Ledger.Model;

/// <summary>
/// The buckets of the usage rollups: the UTC minute of <see cref="MinuteUsage"/> (and its attribute twin) and the UTC
/// hour of <see cref="HourlyUsage"/>. The writer, reversals, the saga's window and the usage report all bucket through
/// here, so a row is always found where it was written.
/// </summary>
public static class UsageTime
{
    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
