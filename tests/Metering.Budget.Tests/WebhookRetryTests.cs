using Metering.Webhooks;

namespace Metering.Budget.Tests;

/// <summary>The retry schedule and the disabling rule of webhook deliveries, with no servers.</summary>
public sealed class WebhookRetryTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Schedule = RetrySchedule.From(new WebhookOptions());

    [Fact]
    public void The_wait_doubles_from_five_seconds_and_stops_growing_at_an_hour()
    {
        var waits = Enumerable.Range(1, 14).Select(Schedule.BaseDelay).Select(d => d.TotalSeconds).ToList();

        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600, 3600], waits);
        Assert.Equal(TimeSpan.FromHours(1), Schedule.BaseDelay(10_000));
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999999, 1.2)]
    public void Jitter_spreads_each_wait_by_at_most_twenty_percent(double random, double factor)
    {
        var now = Created.AddMinutes(30);

        var next = Schedule.Next(Created, 3, now, random);

        Assert.Equal(20 * factor, (next!.Value - now).TotalSeconds, precision: 3);
    }

    [Fact]
    public void The_last_retry_is_made_when_24_hours_have_passed_and_then_the_delivery_has_failed()
    {
        var late = Created.AddHours(23).AddMinutes(30);

        Assert.Equal(Created.AddHours(24), Schedule.Next(Created, 30, late, 0.5));
        Assert.Null(Schedule.Next(Created, 31, Created.AddHours(24), 0.5));
        Assert.Null(Schedule.Next(Created, 31, Created.AddHours(25), 0.5));
    }

    [Fact]
    public void A_receiver_down_for_a_day_is_tried_about_thirty_times_never_faster_than_the_schedule()
    {
        var attempts = new List<DateTimeOffset> { Created };
        for (var next = Schedule.Next(Created, 1, Created, 0.5); next is { } at; next = Schedule.Next(Created, attempts.Count, at, 0.5))
        {
            attempts.Add(at);
        }

        Assert.InRange(attempts.Count, 25, 40);
        Assert.Equal(Created.AddHours(24), attempts[^1]);
        Assert.All(attempts.Zip(attempts.Skip(1)), pair => Assert.True(pair.Second > pair.First));
    }

    [Fact]
    public void One_delivered_attempt_clears_the_failure_of_an_endpoint()
    {
        var health = EndpointHealth.After(Created, anyDelivered: true, Created.AddHours(30), TimeSpan.FromHours(24));

        Assert.Equal(new EndpointHealth(null, false), health);
    }

    [Fact]
    public void An_endpoint_is_disabled_once_every_attempt_has_failed_for_24_hours_and_not_before()
    {
        var day = TimeSpan.FromHours(24);

        Assert.Equal(new EndpointHealth(Created, false), EndpointHealth.After(null, false, Created, day));
        Assert.Equal(new EndpointHealth(Created, false), EndpointHealth.After(Created, false, Created.AddHours(24).AddSeconds(-1), day));
        Assert.Equal(new EndpointHealth(Created, true), EndpointHealth.After(Created, false, Created.AddHours(24), day));
    }
}
