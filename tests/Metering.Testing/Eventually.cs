using System.Diagnostics;

namespace Metering.Testing;

/// <summary>Waits for asynchronous work by polling a condition, never by sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the last value seen when it does not in time.</summary>
    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null) =>
        Until(probe, condition, () => what, timeout);

    /// <summary>As above, with a description made only if it fails (to include, say, a process's latest output).</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                var seen = value is System.Collections.IEnumerable items and not string ? "[" + string.Join(", ", items.Cast<object>()) + "]" : value?.ToString();
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what()}; last seen: {seen}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 250));
        }
    }
}
