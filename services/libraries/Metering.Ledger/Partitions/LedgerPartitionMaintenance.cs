using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metering.Ledger.Partitions;

/// <summary>
/// Keeps the ledger's partitions ahead of time in the worker, the ledger's one writer: at start, then every
/// <see cref="Every"/>; a failure (a lock not granted in time, the database away) is logged and tried again a minute
/// later. Nothing waits on it: an entry whose month has no partition yet goes to the default partition.
/// </summary>
public sealed class LedgerPartitionMaintenance(LedgerPartitions partitions, TimeProvider time, ILogger<LedgerPartitionMaintenance> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromHours(6);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Every;
            try
            {
                var created = await partitions.EnsureAsync(time.GetUtcNow(), stoppingToken);
                if (created > 0)
                {
                    logger.LogInformation("Created {Count} monthly partitions of the ledger", created);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Cannot create the ledger's partitions ahead ({Error}); new entries go to the default partition meanwhile, retrying in {Delay}", e.Message, RetryAfter);
                wait = RetryAfter;
            }

            await Task.Delay(wait, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
