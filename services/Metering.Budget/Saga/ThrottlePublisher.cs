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
