namespace Metering.Testing.Projection;

/// <summary>A synthetic tenant's traffic: calls per second at a time since the cycle began, given the cycle's length.</summary>
public sealed record TrafficShape(string Name, Func<TimeSpan, TimeSpan, double> CallsPerSecond)
{
    /// <summary>The same rate all cycle long.</summary>
    public static TrafficShape Steady(double rate = 1) => new("steady", (_, _) => rate);

    /// <summary>A day's rhythm: busiest at 14:00 UTC (1.8× the rate), quietest at 02:00 (0.2×).</summary>
    public static TrafficShape DayNight(double rate = 1) =>
        new("day/night", (since, _) => rate * (1 + (0.8 * Math.Sin(2 * Math.PI * (since.TotalHours - 8) / 24))));

    /// <summary>Growing linearly from 0.2× to 1.8× the rate over the cycle.</summary>
    public static TrafficShape Ramp(double rate = 1) => new("linear ramp", (since, length) => rate * (0.2 + (1.6 * since / length)));

    /// <summary>The rate, with one burst of ten times it for six hours from 20 % of the cycle.</summary>
    public static TrafficShape Burst(double rate = 1) =>
        new("one-off burst", (since, length) => since >= length * 0.2 && since < (length * 0.2) + TimeSpan.FromHours(6) ? rate * 10 : rate);

    /// <summary>The rate until 40 % of the cycle, then nothing.</summary>
    public static TrafficShape Stopped(double rate = 1) => new("stopped at 40 %", (since, length) => since < length * 0.4 ? rate : 0);

    public static IReadOnlyList<TrafficShape> All(double rate = 1) => [Steady(rate), DayNight(rate), Ramp(rate), Burst(rate), Stopped(rate)];
}
