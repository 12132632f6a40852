using Metering.Contracts;
using Metering.Hosting;
using Npgsql;

namespace Metering.Budget.Saga;

/// <summary>Publishes, oldest first, commands a crash left unpublished after their decision committed.</summary>
public sealed class ThrottleRelay(NpgsqlDataSource dataSource, ThrottlePublisher publisher, TimeProvider time, ILogger<ThrottleRelay> logger)
    : UnpublishedRelay(time, logger)
{
    protected override string What => "throttle commands";

    protected override async Task<int> RelayAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT body::text FROM throttle_commands WHERE published_at IS NULL AND issued_at < @cutoff ORDER BY tenant_id, sequence LIMIT 200");
        command.Parameters.AddWithValue("cutoff", Time.GetUtcNow() - grace);
        var pending = new List<ThrottleCommand>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(System.Text.Json.JsonSerializer.Deserialize<ThrottleCommand>(reader.GetString(0), MeteringJson.Options)!);
            }
        }

        if (pending.Count > 0)
        {
            await publisher.PublishAsync(pending, cancellationToken);
        }

        return pending.Count;
    }
}
