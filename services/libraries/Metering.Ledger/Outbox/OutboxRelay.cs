using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Ledger.Outbox;

/// <summary>
/// Publishes what is committed in the outbox, in every service that writes to it. It listens for the notification
/// each writing transaction sends at commit and drains the outbox at once, looking again every
/// <see cref="OutboxOptions.PollInterval"/> in case a notification was missed; any number of relays share the work.
/// A failed publish leaves the messages in place and is retried; published messages are purged after the retention.
/// </summary>
public sealed class OutboxRelay : BackgroundService
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource dataSource;
    private readonly OutboxStore store;
    private readonly OutboxPublisher publisher;
    private readonly IOptions<OutboxOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<OutboxRelay> logger;
    private readonly Counter<long> relayed;
    private DateTimeOffset nextPurge;
    private DateTimeOffset nextLook;
    private long pending;

    public OutboxRelay(
        NpgsqlDataSource dataSource, OutboxStore store, OutboxPublisher publisher, IOptions<OutboxOptions> options, TimeProvider time, IMeterFactory meters, ILogger<OutboxRelay> logger)
    {
        (this.dataSource, this.store, this.publisher, this.options, this.time, this.logger) = (dataSource, store, publisher, options, time, logger);
        var meter = meters.Create("Metering");
        relayed = meter.CreateCounter<long>("metering.outbox.published", "{message}", "Outbox messages published by this instance's relay");
        meter.CreateObservableGauge("metering.outbox.pending", () => pending, "{message}", "Outbox messages not yet published, as of the relay's last look");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listener = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {OutboxStore.Channel}", listener))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await DrainAsync(stoppingToken);
                    await LookIfDueAsync(stoppingToken);
                    await PurgeIfDueAsync(stoppingToken);
                    await listener.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The outbox relay failed ({Error}); messages stay in the outbox, retrying in {Delay} s", e.Message, RetryAfter.TotalSeconds);
                await Task.Delay(RetryAfter, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        int count;
        do
        {
            count = await store.RelayAsync(options.Value.BatchSize, publisher.PublishAsync, cancellationToken);
            relayed.Add(count);
        }
        while (count == options.Value.BatchSize);
    }

    /// <summary>The backlog, for the metric: a relay that cannot publish (the broker is away) shows as a growing backlog.</summary>
    private async Task LookIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now >= nextLook)
        {
            nextLook = now + LookEvery;
            var (count, oldest) = await store.BacklogAsync(cancellationToken);
            pending = count;
            if (oldest > TimeSpan.FromMinutes(1))
            {
                logger.LogError("The outbox holds {Count} messages, the oldest unpublished for {Age}", count, oldest);
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
        int count;
        do
        {
            count = await store.PurgeAsync(now - options.Value.Retention, 5_000, cancellationToken);
            purged += count;
        }
        while (count > 0 && !cancellationToken.IsCancellationRequested);

        if (purged > 0)
        {
            logger.LogInformation("Purged {Count} outbox messages published more than {Retention} ago", purged, options.Value.Retention);
        }
    }
}
