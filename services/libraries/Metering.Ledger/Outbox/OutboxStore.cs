using Metering.Ledger.Writing;
using Npgsql;

namespace Metering.Ledger.Outbox;

/// <summary>
/// The outbox: messages written by a ledger transaction and published after it commits. A message whose publishing
/// was cut short (a crash between commit and publish) is found here and published later by the relay.
/// </summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task MarkPublishedAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("UPDATE outbox_messages SET published_at = @now WHERE id = ANY(@ids) AND published_at IS NULL");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes, with <paramref name="publish"/>, unpublished messages older than <paramref name="olderThan"/>, oldest
    /// first, and marks them published. Rows being relayed by another instance are skipped, not waited for.
    /// </summary>
    public async Task<int> RelayAsync(TimeSpan olderThan, int limit, Func<IReadOnlyList<OutboxEnvelope>, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = new List<OutboxEnvelope>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, message_type, body::text FROM outbox_messages
            WHERE published_at IS NULL AND created_at < @cutoff
            ORDER BY created_at LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """,
            connection))
        {
            select.Parameters.AddWithValue("cutoff", time.GetUtcNow() - olderThan);
            select.Parameters.AddWithValue("limit", limit);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(new OutboxEnvelope(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (pending.Count == 0)
        {
            return 0;
        }

        await publish(pending, cancellationToken);
        await using (var mark = new NpgsqlCommand("UPDATE outbox_messages SET published_at = @now WHERE id = ANY(@ids)", connection))
        {
            mark.Parameters.AddWithValue("ids", pending.Select(p => p.Id).ToArray());
            mark.Parameters.AddWithValue("now", time.GetUtcNow());
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return pending.Count;
    }
}
