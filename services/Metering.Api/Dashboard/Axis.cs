namespace Metering.Api.Dashboard;

/// <summary>Round axis scales: the top of an axis is 1, 2, 2.5 or 5 times a power of ten.</summary>
public static class Axis
{
    public static decimal NiceCeiling(decimal value)
    {
        if (value <= 0m)
        {
            return 1m;
        }

        if (value < 0.01m)
        {
            return 0.01m;
        }

        var power = 1m;
        while (power * 10m <= value)
        {
            power *= 10m;
        }

        while (power > value)
        {
            power /= 10m;
        }

        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }

        return 10m * power;
    }

    /// <summary>Gridlines at round steps: a top of 2 × 10ⁿ in quarters, any other in fifths.</summary>
    public static IEnumerable<decimal> Ticks(decimal top)
    {
        var mantissa = top;
        while (mantissa >= 10m)
        {
            mantissa /= 10m;
        }

        while (mantissa < 1m)
        {
            mantissa *= 10m;
        }

        var intervals = mantissa == 2m ? 4 : 5;
        return Enumerable.Range(0, intervals + 1).Select(i => top * i / intervals);
    }
}
