namespace Metering.Webhooks;

/// <summary>
/// When a failed delivery is tried again: the first wait is <see cref="FirstDelay"/>, each further failure doubles it
/// up to <see cref="MaxDelay"/>, and every wait is spread ±20 % at random, so the deliveries that failed together (a
/// receiver down) do not all come back in the same second. Retries last <see cref="RetryFor"/> from the delivery's
/// creation; the last attempt is made at that moment, then the delivery has failed.
/// </summary>
public sealed record RetrySchedule(TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan RetryFor)
{
    public const double Jitter = 0.2;

    public static RetrySchedule From(WebhookOptions options) => new(options.FirstRetryDelay, options.MaxRetryDelay, options.RetryFor);

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt (1 for the first), before jitter.</summary>
    public TimeSpan BaseDelay(int failures)
    {
        var ticks = FirstDelay.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 62));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// When to attempt a delivery created at <paramref name="createdAt"/> again after its <paramref name="failures"/>-th
    /// failed attempt at <paramref name="now"/>; null when its retries are over. <paramref name="random"/> is in [0, 1).
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset createdAt, int failures, DateTimeOffset now, double random)
    {
        var deadline = createdAt + RetryFor;
        if (now >= deadline)
        {
            return null;
        }

        var next = now + (BaseDelay(failures) * (1 - Jitter + (2 * Jitter * random)));
        return next < deadline ? next : deadline;
    }
}
