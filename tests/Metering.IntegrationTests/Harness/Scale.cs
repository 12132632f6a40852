namespace Metering.IntegrationTests.Harness;

/// <summary>
/// How big a reliability scenario runs: CI's size by default, the full size of SPEC §12 when
/// <c>METERING_RELIABILITY_SCALE=full</c> (infra/reliability.sh sets it).
/// </summary>
public static class Scale
{
    public static bool Full { get; } = string.Equals(Environment.GetEnvironmentVariable("METERING_RELIABILITY_SCALE"), "full", StringComparison.OrdinalIgnoreCase);

    public static int Of(int ci, int full) => Full ? full : ci;

    public static TimeSpan Timeout => Full ? TimeSpan.FromMinutes(15) : TimeSpan.FromMinutes(3);
}
