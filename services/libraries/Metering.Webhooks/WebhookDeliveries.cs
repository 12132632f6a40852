using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Webhooks;

/// <summary>
/// Attempts deliveries and writes down how each went. A round claims due deliveries with <c>SKIP LOCKED</c> (any
/// number of loops share the work, and an endpoint is attempted by one loop at a time: its row is claimed too), sends
/// them at once, and in the same transaction logs every attempt, schedules the retries of the failed ones, and
/// disables an endpoint that has failed for <c>Webhooks:DisableAfter</c>. A loop that dies mid-round leaves its
/// deliveries pending, to be sent again with the same <c>webhook-id</c>: delivery is at least once, receivers
/// de-duplicate. A secret that cannot be opened (a fault of ours: a missing or different key) is no attempt: the
/// delivery waits, logged, and the endpoint is not held responsible.
/// </summary>
public sealed class WebhookDeliveries(
    NpgsqlDataSource dataSource, WebhookSender sender, WebhookSecrets secrets, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDeliveries> logger)
{
    public const string Scheduled = "scheduled";
    public const string Resend = "resend";

    private static readonly TimeSpan Postpone = TimeSpan.FromMinutes(1);

    private const string Select =
        """
        SELECT d.id, d.endpoint_id, e.url, e.secret, e.failing_since, d.event_id, ev.type, ev.occurred_at, ev.data::text,
               d.status, d.attempts, d.created_at, d.next_attempt_at
        FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id
        JOIN webhook_events ev ON ev.id = d.event_id
        """;

    /// <summary>One round of the delivery loop; returns how many deliveries it claimed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = await ReadAsync(
            connection,
            $"""
            {Select}
            WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND e.disabled_at IS NULL
            ORDER BY d.next_attempt_at
            LIMIT @limit
            FOR NO KEY UPDATE OF d, e SKIP LOCKED
            """,
            [new NpgsqlParameter("now", now), new NpgsqlParameter("limit", options.Value.BatchSize)],
            cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var attempts = due.Select(delivery => (Delivery: delivery, Secret: OpenOrNull(delivery))).ToList();
        var results = await Task.WhenAll(attempts.Where(a => a.Secret is not null).Select(a => sender.SendAsync(a.Delivery, a.Secret!, cancellationToken)));
        var schedule = RetrySchedule.From(options.Value);
        var outcomes = results.Select(r => r.Delivered ? ("delivered", null) : Retry(r, schedule)).ToList();

        await using var batch = new NpgsqlBatch(connection);
        Record(batch, results, outcomes, Scheduled);
        var waiting = attempts.Where(a => a.Secret is null).Select(a => a.Delivery.Id).ToArray();
        if (waiting.Length > 0)
        {
            var postpone = new NpgsqlBatchCommand("UPDATE webhook_deliveries SET next_attempt_at = @later WHERE id = ANY(@ids)");
            postpone.Parameters.Add(new NpgsqlParameter("later", now + Postpone));
            postpone.Parameters.Add(new NpgsqlParameter("ids", waiting));
            batch.BatchCommands.Add(postpone);
        }

        foreach (var endpoint in results.GroupBy(r => r.Delivery.EndpointId).OrderBy(g => g.Key))
        {
            batch.BatchCommands.Add(HealthUpdate(endpoint.ToList(), now));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>
    /// An admin's re-send: one attempt now, with the same <c>webhook-id</c>, whatever the delivery's status and the
    /// endpoint's state, logged like any other. It does not count towards disabling the endpoint, nor does it enable
    /// one. Null when the endpoint has no such delivery; a <see cref="PostgresException"/> of
    /// <see cref="PostgresErrorCodes.LockNotAvailable"/> when the delivery loop is attempting it at this moment.
    /// </summary>
    public async Task<AttemptResult?> ResendAsync(Guid endpointId, long deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await ReadAsync(
            connection,
            $"{Select} WHERE d.id = @id AND d.endpoint_id = @endpoint FOR NO KEY UPDATE OF d NOWAIT",
            [new NpgsqlParameter("id", deliveryId), new NpgsqlParameter("endpoint", endpointId)],
            cancellationToken);
        if (found is not [var delivery])
        {
            return null;
        }

        var result = await sender.SendAsync(delivery, secrets.Open(delivery.EndpointId, delivery.SealedSecret), cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        Record(batch, [result], [result.Delivered ? ("delivered", null) : (delivery.Status, delivery.NextAttemptAt)], Resend);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Re-sent webhook {WebhookId} to {Url}: {Outcome}", delivery.EventId, delivery.Url, result.Delivered ? $"HTTP {result.StatusCode}" : result.Error);
        return result;
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> deliveries that are over (delivered or failed) and were created before
    /// <paramref name="before"/>, with their attempts, then the events older than that which no delivery needs any
    /// more; returns how many deliveries it deleted. An event's id stays derived from what happened, and what makes
    /// an announcement once (a closed cycle, a spike's episode) is kept elsewhere, so a purged event is never re-sent.
    /// </summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var deliveries = new NpgsqlBatchCommand(
            """
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < @before ORDER BY id LIMIT @limit)
            """);
        deliveries.Parameters.Add(new NpgsqlParameter("before", before));
        deliveries.Parameters.Add(new NpgsqlParameter("limit", limit));
        var events = new NpgsqlBatchCommand(
            """
            DELETE FROM webhook_events e
            WHERE e.occurred_at < @before AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
            """);
        events.Parameters.Add(new NpgsqlParameter("before", before));
        batch.BatchCommands.Add(deliveries);
        batch.BatchCommands.Add(events);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return deliveries.RecordsAffected;
    }

    private string? OpenOrNull(DueDelivery delivery)
    {
        try
        {
            return secrets.Open(delivery.EndpointId, delivery.SealedSecret);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            logger.LogError(
                "Webhook delivery {DeliveryId} waits {Delay}: the secret of endpoint {EndpointId} cannot be opened ({Error})", delivery.Id, Postpone, delivery.EndpointId, e.Message);
            return null;
        }
    }

    private (string Status, DateTimeOffset? Next) Retry(AttemptResult result, RetrySchedule schedule)
    {
        var delivery = result.Delivery;
        var next = schedule.Next(delivery.CreatedAt, delivery.Attempts + 1, result.At, Random.Shared.NextDouble());
        if (next is null)
        {
            logger.LogWarning(
                "Webhook {WebhookId} ({EventType}) to {Url} failed for good after {Attempts} attempts over {RetryFor}: {Error}",
                delivery.EventId, delivery.EventType, delivery.Url, delivery.Attempts + 1, schedule.RetryFor, result.Error);
            return ("failed", null);
        }

        logger.LogInformation(
            "Webhook {WebhookId} ({EventType}) to {Url} failed ({Error}), attempt {Attempt}; next at {NextAttemptAt}",
            delivery.EventId, delivery.EventType, delivery.Url, result.Error, delivery.Attempts + 1, next);
        return ("pending", next);
    }

    /// <summary>The attempts, and each delivery's new status and next attempt.</summary>
    private static void Record(NpgsqlBatch batch, IReadOnlyList<AttemptResult> results, IReadOnlyList<(string Status, DateTimeOffset? Next)> outcomes, string trigger)
    {
        var log = new NpgsqlBatchCommand(
            """
            INSERT INTO webhook_attempts (delivery_id, attempted_at, trigger, status_code, error, response, duration_ms)
            SELECT delivery_id, attempted_at, @trigger, status_code, error, response, duration_ms
            FROM unnest(@deliveries::bigint[], @ats::timestamptz[], @codes::int[], @errors::text[], @responses::text[], @durations::int[])
                AS a(delivery_id, attempted_at, status_code, error, response, duration_ms)
            """);
        log.Parameters.Add(new NpgsqlParameter("trigger", trigger));
        log.Parameters.Add(new NpgsqlParameter("deliveries", results.Select(r => r.Delivery.Id).ToArray()));
        log.Parameters.Add(new NpgsqlParameter("ats", results.Select(r => r.At).ToArray()));
        log.Parameters.Add(Nullable("codes", NpgsqlDbType.Integer, results.Select(r => (object?)r.StatusCode)));
        log.Parameters.Add(Nullable("errors", NpgsqlDbType.Text, results.Select(r => (object?)r.Error)));
        log.Parameters.Add(Nullable("responses", NpgsqlDbType.Text, results.Select(r => (object?)r.Response)));
        log.Parameters.Add(new NpgsqlParameter("durations", results.Select(r => r.DurationMs).ToArray()));
        batch.BatchCommands.Add(log);

        var update = new NpgsqlBatchCommand(
            """
            UPDATE webhook_deliveries d
            SET status = u.status, attempts = d.attempts + 1, next_attempt_at = u.next_attempt_at, last_attempt_at = u.attempted_at,
                delivered_at = CASE WHEN u.status = 'delivered' THEN coalesce(d.delivered_at, u.attempted_at) ELSE d.delivered_at END
            FROM unnest(@ids::bigint[], @statuses::text[], @nexts::timestamptz[], @ats::timestamptz[]) AS u(id, status, next_attempt_at, attempted_at)
            WHERE d.id = u.id
            """);
        update.Parameters.Add(new NpgsqlParameter("ids", results.Select(r => r.Delivery.Id).ToArray()));
        update.Parameters.Add(new NpgsqlParameter("statuses", outcomes.Select(o => o.Status).ToArray()));
        update.Parameters.Add(Nullable("nexts", NpgsqlDbType.TimestampTz, outcomes.Select(o => (object?)o.Next)));
        update.Parameters.Add(new NpgsqlParameter("ats", results.Select(r => r.At).ToArray()));
        batch.BatchCommands.Add(update);
    }

    /// <summary>The endpoint's failing state after this round's attempts to it; disabled, with the reason, once it has failed for too long.</summary>
    private NpgsqlBatchCommand HealthUpdate(IReadOnlyList<AttemptResult> results, DateTimeOffset now)
    {
        var first = results[0].Delivery;
        var disableAfter = options.Value.DisableAfter;
        var health = EndpointHealth.After(first.EndpointFailingSince, results.Any(r => r.Delivered), now, disableAfter);
        var update = new NpgsqlBatchCommand(
            """
            UPDATE webhook_endpoints SET failing_since = @failing,
                disabled_at = CASE WHEN @disable THEN @now ELSE disabled_at END,
                disabled_reason = CASE WHEN @disable THEN @reason ELSE disabled_reason END
            WHERE id = @id
            """);
        var reason = health.Disable
            ? $"every attempt since {health.FailingSince:O} failed ({disableAfter.TotalHours:0.##} h); the last: {results[^1].Error}"
            : null;
        update.Parameters.Add(new NpgsqlParameter("id", first.EndpointId));
        update.Parameters.Add(new NpgsqlParameter("failing", NpgsqlDbType.TimestampTz) { Value = (object?)health.FailingSince ?? DBNull.Value });
        update.Parameters.Add(new NpgsqlParameter("disable", health.Disable));
        update.Parameters.Add(new NpgsqlParameter("now", now));
        update.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value });
        if (health.Disable)
        {
            logger.LogWarning("Webhook endpoint {EndpointId} ({Url}) is disabled: {Reason}", first.EndpointId, first.Url, reason);
        }

        return update;
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, IEnumerable<object?> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.Select(v => v ?? DBNull.Value).ToArray() };

    private static async Task<List<DueDelivery>> ReadAsync(NpgsqlConnection connection, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<DueDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DueDelivery(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetGuid(5),
                reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8),
                reader.GetString(9),
                reader.GetInt32(10),
                reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return rows;
    }
}
