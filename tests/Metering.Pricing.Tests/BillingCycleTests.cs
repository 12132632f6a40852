namespace Metering.Pricing.Tests;

public sealed class BillingCycleTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void With_the_default_anchor_a_cycle_is_the_calendar_month()
    {
        var cycle = BillingCycle.Containing(Utc(2026, 11, 29, 12), anchorDay: 1);

        Assert.Equal("2026-11-01", cycle.Name);
        Assert.Equal(Utc(2026, 11, 1), cycle.Start);
        Assert.Equal(Utc(2026, 12, 1), cycle.End);
    }

    [Fact]
    public void A_cycle_starts_at_midnight_utc_on_the_anchor_day()
    {
        Assert.Equal("2026-10-15", BillingCycle.Containing(Utc(2026, 11, 14, 23, 59, 59), 15).Name);
        Assert.Equal("2026-11-15", BillingCycle.Containing(Utc(2026, 11, 15), 15).Name);
    }

    [Fact]
    public void An_anchor_day_cycle_runs_across_the_month_end()
    {
        var cycle = BillingCycle.Containing(Utc(2026, 12, 3), anchorDay: 28);

        Assert.Equal("2026-11-28", cycle.Name);
        Assert.Equal(Utc(2026, 12, 28), cycle.End);
    }

    [Fact]
    public void A_cycle_runs_across_the_year_end()
    {
        var cycle = BillingCycle.Containing(Utc(2027, 1, 10), anchorDay: 20);

        Assert.Equal("2026-12-20", cycle.Name);
        Assert.Equal(Utc(2027, 1, 20), cycle.End);
    }

    [Fact]
    public void February_cycles_are_shorter()
    {
        var cycle = BillingCycle.Containing(Utc(2027, 2, 10), anchorDay: 1);

        Assert.Equal(TimeSpan.FromDays(28), cycle.Length);
        Assert.Equal("2027-03-01", cycle.Next().Name);
    }

    [Fact]
    public void The_cycle_follows_the_utc_instant_not_the_local_offset()
    {
        // 2026-12-01T01:00+02:00 is still November in UTC.
        Assert.Equal("2026-11-01", BillingCycle.Containing(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.FromHours(2)), 1).Name);
    }

    [Fact]
    public void Anchor_days_outside_1_to_28_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingCycle.Containing(Utc(2026, 11, 1), 29));
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingCycle.Containing(Utc(2026, 11, 1), 0));
    }

    [Fact]
    public void A_cycle_name_parses_only_on_the_anchor_day()
    {
        Assert.True(BillingCycle.TryParse("2026-11-15", 15, out var cycle));
        Assert.Equal(Utc(2026, 11, 15), cycle.Start);
        Assert.False(BillingCycle.TryParse("2026-11-14", 15, out _));
        Assert.False(BillingCycle.TryParse("2026-13-01", 1, out _));
        Assert.False(BillingCycle.TryParse("'; drop table", 1, out _));
    }
}
