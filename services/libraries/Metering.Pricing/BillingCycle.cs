using System.Globalization;

namespace Metering.Pricing;

/// <summary>
/// A monthly billing cycle that starts on the tenant's anchor day (1–28) at 00:00 UTC and is named by its start
/// date, e.g. <c>2026-11-01</c> (SPEC §5).
/// </summary>
public readonly record struct BillingCycle
{
    private BillingCycle(DateOnly start, int anchorDay)
    {
        StartDate = start;
        AnchorDay = anchorDay;
    }

    public DateOnly StartDate { get; }

    public int AnchorDay { get; }

    public DateTimeOffset Start => new(StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The first instant of the next cycle (exclusive end of this one).</summary>
    public DateTimeOffset End => new(StartDate.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public TimeSpan Length => End - Start;

    public string Name => StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The cycle that contains <paramref name="at"/> for a tenant anchored on <paramref name="anchorDay"/>.</summary>
    public static BillingCycle Containing(DateTimeOffset at, int anchorDay)
    {
        CheckAnchor(anchorDay);
        DateOnly.FromDateTime(at.UtcDateTime).Deconstruct(out var year, out var month, out var day);
        var start = new DateOnly(year, month, anchorDay);
        return new BillingCycle(day < anchorDay ? start.AddMonths(-1) : start, anchorDay);
    }

    /// <summary>The cycle named <paramref name="name"/> (its start date); false unless the date falls on the anchor day.</summary>
    public static bool TryParse(string? name, int anchorDay, out BillingCycle cycle)
    {
        cycle = default;
        if (anchorDay is < 1 or > 28
            || !DateOnly.TryParseExact(name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || start.Day != anchorDay)
        {
            return false;
        }

        cycle = new BillingCycle(start, anchorDay);
        return true;
    }

    public BillingCycle Next() => new(StartDate.AddMonths(1), AnchorDay);

    public BillingCycle Previous() => new(StartDate.AddMonths(-1), AnchorDay);

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    public override string ToString() => Name;

    private static void CheckAnchor(int anchorDay)
    {
        if (anchorDay is < 1 or > 28)
        {
            throw new ArgumentOutOfRangeException(nameof(anchorDay), anchorDay, "a cycle anchor day is between 1 and 28");
        }
    }
}
