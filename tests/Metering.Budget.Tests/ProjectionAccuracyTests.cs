using Metering.Budget.Decisions;
using Metering.Pricing;
using Metering.Testing.Projection;

namespace Metering.Budget.Tests;

/// <summary>
/// The projection against the truth (SPEC §15): whole synthetic cycles replayed on a fake clock through the real
/// pricing, projected from what the saga reads (minute usage), compared with what the cycle finally cost.
/// </summary>
public sealed class ProjectionAccuracyTests
{
    private static readonly BillingCycle November = BillingCycle.Containing(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), 1);
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    [Fact]
    public void Steady_traffic_is_projected_within_one_percent_of_the_final_spend_from_the_first_hour_on()
    {
        var length = November.Length;
        TimeSpan[] checkpoints = [TimeSpan.FromMinutes(61), TimeSpan.FromHours(6), length * 0.10, length * 0.25, length * 0.50, length * 0.75];

        var run = ProjectionReplay.Run(TrafficShape.Steady(0.2), November, checkpoints, TimeSpan.FromHours(24), TimeSpan.FromHours(1), Tick);

        Assert.Equal(checkpoints.Length, run.Projections.Count);
        Assert.All(run.Errors, e => Assert.True(e.Error <= 0.01m, $"at {e.At}: {e.Error:P2} from the final {run.Final:N2}"));
    }

    [Fact]
    public void Once_traffic_stops_the_projection_equals_the_actual_spend_within_one_tick()
    {
        var run = ProjectionReplay.Run(TrafficShape.Stopped(0.2), November, [November.Length * 0.3], TimeSpan.FromHours(24), TimeSpan.FromHours(1), Tick);

        Assert.NotNull(run.SettledAfter);
        Assert.True(run.SettledAfter <= Tick, $"settled {run.SettledAfter} after the traffic stopped");

        // Before it stopped, it was projected on: the window's rate, not the spend so far.
        var (_, projected, actual) = Assert.Single(run.Projections);
        Assert.True(projected > actual * 2, $"projected {projected} against {actual} spent at 30 %");
    }

    [Theory]
    [InlineData(3_600, 9, false)] // one call a second, silent 9 s: below the 30-s floor
    [InlineData(3_600, 31, true)] // silent 31 s: ten mean gaps and the floor passed
    [InlineData(6, 3_600, false)] // one call every ten minutes, silent an hour: fewer than ten gaps
    [InlineData(6, 6_001, true)] // silent ten gaps and a second
    public void Traffic_has_stopped_after_ten_mean_gaps_of_silence_and_at_least_30_seconds(long callsInAnHour, int silentSeconds, bool stopped)
    {
        var now = November.Start.AddDays(3);
        var usage = new CycleUsage(November, 10m, new Dictionary<string, long>(), November.Start, now.AddHours(-1), [])
        {
            WindowEvents = callsInAnHour,
            LastEventAt = now.AddSeconds(-silentSeconds),
        };

        Assert.Equal(stopped, SpendProjection.HasStopped(usage, now, TimeSpan.FromHours(1)));
    }
}
