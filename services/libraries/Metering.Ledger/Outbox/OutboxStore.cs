using Npgsql;
using NpgsqlTypes;

namespace Metering.Ledger.Outbox;

/// <summary>
/// The outbox table, one for every outgoing message: written inside the transaction that decided the message, with a
/// notification that wakes every relay at commit; claimed by a relay with <c>SKIP LOCKED</c>, so any number of
/// instances share the work; kept for <see cref="OutboxOptions.Retention"/> once published.
/// </summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The channel the relays listen on.</summary>
    public const string Channel = "metering_outbox";

    /// <summary>The statements that put <paramref name="envelopes"/> in the outbox, for the caller's transaction.</summary>
    public static IEnumerable<NpgsqlBatchCommand> Enqueue(IReadOnlyList<OutboxEnvelope> envelopes, DateTimeOffset now)
    {
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO outbox_messages (id, message_type, body, created_at, batch_id, tenant_id)
            SELECT id, message_type, body, @now, batch_id, tenant_id
            FROM unnest(@ids::uuid[], @types::text[], @bodies::jsonb[], @batches::uuid[], @tenants::text[]) AS o(id, message_type, body, batch_id, tenant_id)
            ON CONFLICT (id) DO NOTHING
            """);
        insert.Parameters.Add(new NpgsqlParameter("ids", envelopes.Select(e => e.Id).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter("types", envelopes.Select(e => e.MessageType).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = envelopes.Select(e => e.Body).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("batches", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = envelopes.Select(e => (object?)e.BatchId ?? DBNull.Value).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = envelopes.Select(e => (object?)e.TenantId ?? DBNull.Value).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("now", now));
        yield return insert;
        yield return Notify();
    }

    /// <summary>
    /// The statement that publishes again what the metering transactions <paramref name="deliveries"/> published for a
    /// tenant (a duplicate's first delivery): the same rows, so the same message ids. Rows past retention are gone.
    /// </summary>
    public static NpgsqlBatchCommand Republish(IReadOnlyList<(Guid BatchId, string TenantId)> deliveries)
    {
        var command = new NpgsqlBatchCommand(
            """
            WITH again AS (
                UPDATE outbox_messages o SET published_at = NULL
                FROM unnest(@batches::uuid[], @tenants::text[]) AS d(batch_id, tenant_id)
                WHERE o.batch_id = d.batch_id AND o.tenant_id = d.tenant_id AND o.published_at IS NOT NULL
                RETURNING 1
            )
            SELECT pg_notify(@channel, '') FROM (SELECT count(*) AS n FROM again) c WHERE c.n > 0
            """);
        command.Parameters.Add(new NpgsqlParameter("batches", deliveries.Select(d => d.BatchId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("tenants", deliveries.Select(d => d.TenantId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("channel", Channel));
        return command;
    }

    /// <summary>Wakes every relay when the transaction commits (PostgreSQL delivers a notification only then).</summary>
    public static NpgsqlBatchCommand Notify()
    {
        var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, '')");
        notify.Parameters.Add(new NpgsqlParameter("channel", Channel));
        return notify;
    }

    /// <summary>Puts messages in the outbox in a transaction of the caller's.</summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, IReadOnlyList<OutboxEnvelope> envelopes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (envelopes.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in Enqueue(envelopes, now))
        {
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes, with <paramref name="publish"/>, up to <paramref name="limit"/> unpublished messages, oldest first,
    /// and marks them published, in one transaction. Rows another relay holds are skipped, not waited for; if the
    /// publish fails, the transaction rolls back and the rows stay for the next attempt.
    /// </summary>
    public async Task<int> RelayAsync(int limit, Func<IReadOnlyList<OutboxEnvelope>, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = new List<OutboxEnvelope>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, message_type, body::text, batch_id, tenant_id FROM outbox_messages
            WHERE published_at IS NULL
            ORDER BY created_at LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """,
            connection))
        {
            select.Parameters.AddWithValue("limit", limit);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(new OutboxEnvelope(
                    reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
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

    /// <summary>Deletes up to <paramref name="limit"/> messages published before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM outbox_messages WHERE id IN (
                SELECT id FROM outbox_messages WHERE published_at < @before ORDER BY published_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            """);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Messages waiting to be published, and how old the oldest is.</summary>
    public async Task<(long Pending, TimeSpan Oldest)> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), min(created_at) FROM outbox_messages WHERE published_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldest = reader.IsDBNull(1) ? TimeSpan.Zero : time.GetUtcNow() - reader.GetFieldValue<DateTimeOffset>(1);
        return (reader.GetInt64(0), oldest);
    }
}
