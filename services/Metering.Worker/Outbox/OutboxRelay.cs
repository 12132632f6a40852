using MassTransit;
using Metering.Hosting;
using Metering.Ledger.Outbox;

namespace Metering.Worker.Outbox;

/// <summary>
/// Publishes outbox messages that a crash left unpublished after their transaction committed. Each keeps its id, so a
/// message published twice (once before the crash, once here) is recognised downstream.
/// </summary>
public sealed class OutboxRelay(OutboxStore outbox, IBus bus, TimeProvider time, ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var relayed = await outbox.RelayAsync(Grace, 500, (envelopes, ct) => OutboxPublisher.PublishOnlyAsync(bus, envelopes, ct), stoppingToken);
                if (relayed > 0)
                {
                    logger.LogInformation("Relayed {Count} outbox messages left unpublished", relayed);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Outbox relay failed: {Error}", e.Message);
            }

            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
