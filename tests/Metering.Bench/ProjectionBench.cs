using System.CommandLine;
using System.Globalization;
using Metering.Pricing;
using Metering.Testing.Projection;

namespace Metering.Bench;

/// <summary>
/// <c>projection</c>: how right the saga's projection is (SPEC §15). Synthetic cycles (steady, day/night, linear ramp,
/// one-off burst, stopped traffic) replayed on a fake clock through the real pricing and <c>SpendProjection</c>; at
/// an hour of history and at 10, 25, 50 and 75 % of the cycle, |projected − final| / final. No servers.
/// </summary>
internal static class ProjectionBench
{
    public static Command Command()
    {
        var window = new Option<TimeSpan>("--window") { Description = "The projection's trailing window (Budget:Window).", DefaultValueFactory = _ => TimeSpan.FromHours(24) };
        var rate = new Option<double>("--rate") { Description = "The shapes' base rate, calls per second.", DefaultValueFactory = _ => 1 };
        var command = new Command("projection", "Projection accuracy on synthetic cycles replayed on a fake clock (no servers).") { window, rate };
        command.SetAction(parse =>
        {
            Run(parse.GetValue(window), parse.GetValue(rate));
            return 0;
        });
        return command;
    }

    private static void Run(TimeSpan window, double rate)
    {
        var cycle = BillingCycle.Containing(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), 1);
        var length = cycle.Length;
        TimeSpan[] checkpoints = [TimeSpan.FromMinutes(61), length * 0.10, length * 0.25, length * 0.50, length * 0.75];
        var tick = TimeSpan.FromMinutes(1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cycle {cycle.Name} ({length.TotalDays:0} days), window {window}, base rate {rate} calls/s, deepseek-v4-pro, tick {tick.TotalSeconds:0} s"));
        Console.WriteLine("| traffic | final spend | 1 h | 10 % | 25 % | 50 % | 75 % | stopped → projected = actual |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var shape in TrafficShape.All(rate))
        {
            var run = ProjectionReplay.Run(shape, cycle, checkpoints, window, TimeSpan.FromHours(1), tick);
            var errors = string.Join(" | ", run.Errors.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Error * 100:0.00} %")));
            var settled = run.SettledAfter is { } after ? $"after {after.TotalSeconds:0} s" : "—";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {run.Shape} | {run.Final:N2} | {errors} | {settled} |"));
        }
    }
}
