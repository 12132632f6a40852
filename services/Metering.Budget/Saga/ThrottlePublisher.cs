using MassTransit;
using Metering.Contracts;
using Npgsql;

namespace Metering.Budget.Saga;

/// <summary>
/// Publishes throttle commands as raw JSON on <c>metering.throttle</c> with their deterministic ids, and marks them
/// published. A command whose publish was cut short is published by <see cref="ThrottleRelay"/>.
/// </summary>
public sealed class ThrottlePublisher(IBus bus, NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task PublishAsync(IReadOnlyList<ThrottleCommand> commands, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            await bus.Publish(command, context => context.MessageId = command.CommandId, cancellationToken);
        }

        await using var mark = dataSource.CreateCommand("UPDATE throttle_commands SET published_at = @now WHERE command_id = ANY(@ids)");
        mark.Parameters.AddWithValue("now", time.GetUtcNow());
        mark.Parameters.AddWithValue("ids", commands.Select(c => c.CommandId).ToArray());
        await mark.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Publishes, oldest first, commands a crash left unpublished after their decision committed.</summary>
public sealed class ThrottleRelay(NpgsqlDataSource dataSource, ThrottlePublisher publisher, TimeProvider time, ILogger<ThrottleRelay> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var command = dataSource.CreateCommand(
                    "SELECT body::text FROM throttle_commands WHERE published_at IS NULL AND issued_at < @cutoff ORDER BY tenant_id, sequence LIMIT 200");
                command.Parameters.AddWithValue("cutoff", time.GetUtcNow() - Grace);
                var pending = new List<ThrottleCommand>();
                await using (var reader = await command.ExecuteReaderAsync(stoppingToken))
                {
                    while (await reader.ReadAsync(stoppingToken))
                    {
                        pending.Add(System.Text.Json.JsonSerializer.Deserialize<ThrottleCommand>(reader.GetString(0), MeteringJson.Options)!);
                    }
                }

                if (pending.Count > 0)
                {
                    await publisher.PublishAsync(pending, stoppingToken);
                    logger.LogInformation("Relayed {Count} throttle commands left unpublished", pending.Count);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Throttle relay failed: {Error}", e.Message);
            }

            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
