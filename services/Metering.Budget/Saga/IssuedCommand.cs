using System.Globalization;
using Metering.Contracts;
using Metering.Ledger.Outbox;
using Metering.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Budget.Saga;

/// <summary>
/// What a level change writes besides the state, in the saga's own transaction, whichever budget changed level: the
/// command's record (its scope and period, the tenant's when it has none), the outbox row that publishes it once the
/// transaction commits, and its <c>budget.level_changed</c> webhook.
/// </summary>
public static class IssuedCommand
{
    public static void AddTo(NpgsqlBatch batch, ThrottleCommand issued, string body, DateTimeOffset now)
    {
        var scope = issued.Scope ?? BudgetScope.Tenant;
        var record = new NpgsqlBatchCommand(
            """
            INSERT INTO throttle_commands (command_id, tenant_id, cycle, sequence, scope_kind, scope_value, period, level, body, issued_at)
            VALUES (@id, @tenant, @cycle, @sequence, @kind, @value, @period, @level, @body, @now)
            """);
        record.Parameters.AddWithValue("id", issued.CommandId);
        record.Parameters.AddWithValue("tenant", issued.TenantId);
        record.Parameters.AddWithValue("cycle", DateOnly.ParseExact(issued.Cycle, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        record.Parameters.AddWithValue("sequence", issued.Sequence);
        record.Parameters.AddWithValue("kind", scope.Kind.Name());
        record.Parameters.AddWithValue("value", scope.Value);
        record.Parameters.AddWithValue("period", (issued.Period ?? BudgetPeriod.Cycle).Name());
        record.Parameters.AddWithValue("level", SagaStore.LevelName(issued.Level));
        record.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, body);
        record.Parameters.AddWithValue("now", now);
        batch.BatchCommands.Add(record);
        foreach (var outbox in OutboxStore.Enqueue([OutboxEnvelope.Of(issued)], now))
        {
            batch.BatchCommands.Add(outbox);
        }

        batch.BatchCommands.Add(WebhookOutbox.LevelChanged(issued, now));
    }
}
