using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metering.Hosting;

/// <summary>
/// The loop every transactional outbox here needs: what was committed but not published (the process died between
/// the commit and the publish) is published again every few seconds, once it is older than a grace period that lets
/// the normal path finish first. Each message keeps its id, so one published twice is recognised downstream.
/// </summary>
public abstract class UnpublishedRelay(TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    protected TimeProvider Time => time;

    /// <summary>What is relayed, for the log: "outbox messages", "throttle commands".</summary>
    protected abstract string What { get; }

    /// <summary>Publishes, oldest first, what has been unpublished for longer than <paramref name="grace"/>; returns how many.</summary>
    protected abstract Task<int> RelayAsync(TimeSpan grace, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var relayed = await RelayAsync(Grace, stoppingToken);
                if (relayed > 0)
                {
                    logger.LogInformation("Relayed {Count} {What} left unpublished", relayed, What);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Relaying {What} failed: {Error}", What, e.Message);
            }

            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
