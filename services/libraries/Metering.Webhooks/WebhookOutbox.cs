using System.Text.Json;
using Metering.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Webhooks;

/// <summary>
/// Puts webhook events in the outbox, for the caller's transaction: the event (once: its id is derived from what
/// happened), a pending delivery for every endpoint subscribed to its type and tenant, disabled or not (a disabled
/// endpoint gets them once enabled again), and a notification that wakes the delivery loops at commit. A change that
/// rolls back takes its event and deliveries with it; one that commits has them, whatever happens next.
/// </summary>
public static class WebhookOutbox
{
    /// <summary>The channel the delivery loops listen on.</summary>
    public const string Channel = "metering_webhooks";

    /// <summary>The statement that enqueues <paramref name="message"/>.</summary>
    public static NpgsqlBatchCommand Enqueue(WebhookMessage message, DateTimeOffset now) => Statement(message, now, "@data::jsonb");

    /// <summary>
    /// The statement that enqueues <c>budget.level_changed</c> for a throttle command the same transaction records:
    /// the command as published, and the level it replaces (that of the previous command of the same scope and period,
    /// normal if none): a scoped budget's level changes on its own, beside the tenant's.
    /// </summary>
    public static NpgsqlBatchCommand LevelChanged(ThrottleCommand command, DateTimeOffset now)
    {
        var message = new WebhookMessage(
            WebhookMessage.IdFor($"{WebhookEventTypes.BudgetLevelChanged}/{command.CommandId}"),
            WebhookEventTypes.BudgetLevelChanged,
            command.TenantId,
            JsonSerializer.Serialize(command, MeteringJson.Options),
            command.IssuedAt);
        var statement = Statement(
            message,
            now,
            """
            @data::jsonb || jsonb_build_object('previousLevel', coalesce(
                (SELECT level FROM throttle_commands
                 WHERE tenant_id = @tenant AND scope_kind = @kind AND scope_value = @value AND period = @period AND sequence < @sequence
                 ORDER BY sequence DESC LIMIT 1), 'normal'))
            """);
        var scope = command.Scope ?? BudgetScope.Tenant;
        statement.Parameters.Add(new NpgsqlParameter("sequence", command.Sequence));
        statement.Parameters.Add(new NpgsqlParameter("kind", scope.Kind.Name()));
        statement.Parameters.Add(new NpgsqlParameter("value", scope.Value));
        statement.Parameters.Add(new NpgsqlParameter("period", (command.Period ?? BudgetPeriod.Cycle).Name()));
        return statement;
    }

    private static NpgsqlBatchCommand Statement(WebhookMessage message, DateTimeOffset now, string data)
    {
        var statement = new NpgsqlBatchCommand(
            $"""
            WITH event AS (
                INSERT INTO webhook_events (id, type, tenant_id, data, occurred_at)
                VALUES (@id, @type, @tenant, {data}, @occurred)
                ON CONFLICT (id) DO NOTHING
                RETURNING id, type, tenant_id
            ), fanned AS (
                INSERT INTO webhook_deliveries (endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
                SELECT e.id, event.id, 'pending', 0, @now, @now
                FROM event JOIN webhook_endpoints e ON event.type = ANY (e.event_types) AND (e.tenant_id IS NULL OR e.tenant_id = event.tenant_id)
                RETURNING 1
            )
            SELECT pg_notify(@channel, '') FROM (SELECT count(*) AS n FROM fanned) f WHERE f.n > 0
            """);
        statement.Parameters.Add(new NpgsqlParameter("id", message.Id));
        statement.Parameters.Add(new NpgsqlParameter("type", message.Type));
        statement.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = (object?)message.TenantId ?? DBNull.Value });
        statement.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Text) { Value = message.Data });
        statement.Parameters.Add(new NpgsqlParameter("occurred", message.OccurredAt));
        statement.Parameters.Add(new NpgsqlParameter("now", now));
        statement.Parameters.Add(new NpgsqlParameter("channel", Channel));
        return statement;
    }

    /// <summary>Runs the statements of <paramref name="messages"/> in the caller's transaction.</summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, IReadOnlyList<WebhookMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection);
        foreach (var message in messages)
        {
            batch.BatchCommands.Add(Enqueue(message, now));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
