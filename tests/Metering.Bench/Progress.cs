using System.Diagnostics;

namespace Metering.Bench;

/// <summary>Waits for a count to reach a target, printing progress each second; returns the elapsed time.</summary>
internal static class Progress
{
    public static async Task<TimeSpan> UntilAsync(string label, long target, Func<Task<long>> count, Stopwatch clock, TimeSpan timeout)
    {
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            var done = await count();
            if (done >= target)
            {
                var elapsed = clock.Elapsed;
                Console.Error.WriteLine($"  {label}: {done:N0} / {target:N0} in {elapsed.TotalSeconds:0.0} s");
                return elapsed;
            }

            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(1))
            {
                lastPrint = clock.Elapsed;
                Console.Error.WriteLine($"  {label}: {done:N0} / {target:N0} ({done / clock.Elapsed.TotalSeconds:N0}/s)");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{label}: only {done:N0} of {target:N0} after {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }
    }
}
