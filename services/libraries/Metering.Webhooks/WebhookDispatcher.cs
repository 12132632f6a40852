using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Webhooks;

/// <summary>
/// The delivery loop: woken by the notification every enqueuing transaction sends at commit, and every
/// <see cref="WebhookOptions.PollInterval"/> besides (retries come due without a notification), it attempts what is
/// due until nothing is. Any number of instances share the work (<see cref="WebhookDeliveries.DeliverDueAsync"/>).
/// A failure of ours (the database away) leaves the deliveries pending and is retried. Every ten minutes of the
/// service's clock it purges what is older than <see cref="WebhookOptions.Retention"/>.
/// </summary>
public sealed class WebhookDispatcher(
    NpgsqlDataSource dataSource, WebhookDeliveries deliveries, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private const int PurgeBatch = 5_000;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);
    private DateTimeOffset nextPurge;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listener = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {WebhookOutbox.Channel}", listener))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    while (await deliveries.DeliverDueAsync(stoppingToken) == options.Value.BatchSize)
                    {
                        // a full round: there may be more due at once
                    }

                    await PurgeIfDueAsync(stoppingToken);
                    await listener.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The webhook delivery loop failed ({Error}); deliveries stay pending, retrying in {Delay} s", e.Message, RetryAfter.TotalSeconds);

                // Real time, whatever the service's clock: a pause before reconnecting, not a decision.
                await Task.Delay(RetryAfter, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < nextPurge)
        {
            return;
        }

        nextPurge = now + PurgeEvery;
        var purged = 0;
        for (var count = PurgeBatch; count == PurgeBatch && !cancellationToken.IsCancellationRequested; purged += count)
        {
            count = await deliveries.PurgeAsync(now - options.Value.Retention, PurgeBatch, cancellationToken);
        }

        if (purged > 0)
        {
            logger.LogInformation("Purged {Count} webhook deliveries over for more than {Retention}", purged, options.Value.Retention);
        }
    }
}
