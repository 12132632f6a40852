using Metering.Pricing.Usage;

namespace Metering.Pricing.Tests;

public sealed class TimelinessTests
{
    private static readonly BillingCycle November = BillingCycle.Containing(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), 1);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(72);

    [Fact]
    public void An_event_up_to_five_minutes_in_the_future_is_accepted()
    {
        var arrived = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

        Assert.Null(Timeliness.Check(arrived.AddMinutes(5), November, arrived, Grace));
    }

    [Fact]
    public void An_event_more_than_five_minutes_in_the_future_is_rejected()
    {
        var arrived = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(RejectionCodes.FutureTimestamp, Timeliness.Check(arrived.AddMinutes(5).AddTicks(1), November, arrived, Grace)?.Code);
    }

    [Fact]
    public void A_late_event_inside_the_grace_period_is_accepted_into_its_own_cycle()
    {
        var occurred = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);

        Assert.Null(Timeliness.Check(occurred, November, November.End + Grace - TimeSpan.FromTicks(1), Grace));
    }

    [Fact]
    public void A_late_event_after_the_grace_period_is_rejected_as_cycle_closed()
    {
        var occurred = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);

        var rejection = Timeliness.Check(occurred, November, November.End + Grace, Grace);

        Assert.Equal(RejectionCodes.CycleClosed, rejection?.Code);
        Assert.Contains("2026-11-01", rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grace_period_is_configurable()
    {
        var occurred = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);

        Assert.NotNull(Timeliness.Check(occurred, November, November.End + TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        Assert.Null(Timeliness.Check(occurred, November, November.End + TimeSpan.FromHours(2), TimeSpan.FromHours(3)));
    }
}
