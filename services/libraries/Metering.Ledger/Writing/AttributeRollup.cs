using Metering.Pricing;
using Npgsql;

namespace Metering.Ledger.Writing;

/// <summary>
/// Starts and stops keeping <c>attribute_minute_usage</c> for one attribute value (<c>key=value</c>) of a tenant, when
/// the first budget names it and when the last one that did is deleted. Both run under the tenant row's lock
/// (<c>FOR UPDATE</c>), which waits for every metering transaction holding it <c>FOR SHARE</c> and holds off the next:
/// a batch either committed before the backfill reads the ledger (and is in it) or reads the new list with the row it
/// holds (and writes its own minutes) — never both, never neither.
/// </summary>
public static class AttributeRollup
{
    /// <summary>
    /// Adds the value to the tenant's <c>budget_attributes</c>, and if it was not there, rebuilds its minutes of the
    /// current cycle from the ledger entries — the only minutes an attribute budget's projection reads. One pass over
    /// the tenant's entries of the cycle: a cost paid once, when the budget is created, not on the hot path.
    /// </summary>
    public static async Task TrackAsync(
        NpgsqlConnection connection, string tenantId, string key, string value, BillingCycle cycle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if ((await LockAsync(connection, tenantId, now, cancellationToken)).Contains($"{key}={value}", StringComparer.Ordinal))
        {
            return;
        }

        await using var batch = Batch(
            connection,
            tenantId,
            key,
            value,
            "UPDATE tenants SET budget_attributes = array_append(budget_attributes, @pair) WHERE tenant_id = @tenant",
            "DELETE FROM attribute_minute_usage WHERE tenant_id = @tenant AND attribute_key = @key AND attribute_value = @value",
            """
            INSERT INTO attribute_minute_usage (tenant_id, cycle, minute, provider, model, attribute_key, attribute_value, events,
                cache_read_tokens, cache_read_over_cap_tokens, cache_write_tokens, input_tokens, output_tokens, cost, last_event_at)
            SELECT e.tenant_id, e.cycle, date_trunc('minute', e.occurred_at), e.provider, e.model, @key, @value,
                count(*) FILTER (WHERE e.kind <> 'reversal'), sum(t.cache_read), sum(t.over_cap), sum(t.cache_write), sum(t.input), sum(t.output),
                sum(e.cost), max(e.occurred_at)
            FROM ledger_entries e
            CROSS JOIN LATERAL (
                SELECT coalesce(sum((c ->> 'tokens')::bigint) FILTER (WHERE c ->> 'kind' = 'cache-read'), 0) AS cache_read,
                    coalesce(sum((c ->> 'tokens')::bigint) FILTER (WHERE c ->> 'kind' = 'cache-read-over-cap'), 0) AS over_cap,
                    coalesce(sum((c ->> 'tokens')::bigint) FILTER (WHERE c ->> 'kind' = 'cache-write'), 0) AS cache_write,
                    coalesce(sum((c ->> 'tokens')::bigint) FILTER (WHERE c ->> 'kind' = 'input'), 0) AS input,
                    coalesce(sum((c ->> 'tokens')::bigint) FILTER (WHERE c ->> 'kind' IN ('output', 'reasoning')), 0) AS output
                FROM json_array_elements(e.charges) c) t
            WHERE e.tenant_id = @tenant AND e.cycle = @cycle AND e.attributes ->> @key = @value
            GROUP BY 1, 2, 3, 4, 5
            """);
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("cycle", cycle.StartDate));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops keeping the value once no budget of the tenant names it any more, and drops its minutes.</summary>
    public static async Task ForgetUnlessNamedAsync(NpgsqlConnection connection, string tenantId, string key, string value, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LockAsync(connection, tenantId, now, cancellationToken);
        await using var exists = new NpgsqlCommand(
            "SELECT EXISTS (SELECT FROM scope_budgets WHERE tenant_id = @tenant AND scope_kind = 'attribute' AND scope_value = @pair)", connection);
        exists.Parameters.AddWithValue("tenant", tenantId);
        exists.Parameters.AddWithValue("pair", $"{key}={value}");
        if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        await using var batch = Batch(
            connection,
            tenantId,
            key,
            value,
            "UPDATE tenants SET budget_attributes = array_remove(budget_attributes, @pair) WHERE tenant_id = @tenant",
            "DELETE FROM attribute_minute_usage WHERE tenant_id = @tenant AND attribute_key = @key AND attribute_value = @value");
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Makes the tenant's row if it has none yet, locks it and returns the attribute values it keeps.</summary>
    private static async Task<string[]> LockAsync(NpgsqlConnection connection, string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO tenants (tenant_id, cycle_anchor_day, tier_schedules, created_at) VALUES (@tenant, 1, '{}', @now) ON CONFLICT DO NOTHING"),
                new NpgsqlBatchCommand("SELECT budget_attributes FROM tenants WHERE tenant_id = @tenant FOR UPDATE"),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("tenant", tenantId));
            command.Parameters.Add(new NpgsqlParameter("now", now));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetFieldValue<string[]>(0);
    }

    private static NpgsqlBatch Batch(NpgsqlConnection connection, string tenantId, string key, string value, params string[] statements)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var statement in statements)
        {
            var command = new NpgsqlBatchCommand(statement);
            command.Parameters.Add(new NpgsqlParameter("tenant", tenantId));
            command.Parameters.Add(new NpgsqlParameter("key", key));
            command.Parameters.Add(new NpgsqlParameter("value", value));
            command.Parameters.Add(new NpgsqlParameter("pair", $"{key}={value}"));
            batch.BatchCommands.Add(command);
        }

        return batch;
    }
}
