using Metering.Pricing;
using Npgsql;

namespace Metering.Ledger.Writing;

/// <summary>
/// Starts and stops keeping <c>attribute_minute_usage</c> for one attribute key of a tenant, when the first budget
/// names the key and when the last one that did is deleted. Both run under the tenant row's lock (<c>FOR UPDATE</c>),
/// which waits for every metering transaction holding it <c>FOR SHARE</c> and holds off the next: a batch either
/// committed before the backfill reads the ledger (and is in it) or reads the new key list with the row it holds (and
/// writes its own minutes) — never both, never neither.
/// </summary>
public static class AttributeRollup
{
    /// <summary>
    /// Adds the key to the tenant's <c>budget_attribute_keys</c>, and if it was not there, rebuilds its minutes of the
    /// current cycle from the ledger entries — the only minutes an attribute budget's projection reads. One pass over
    /// the tenant's entries of the cycle: a cost paid once, when the budget is created, not on the hot path.
    /// </summary>
    public static async Task TrackAsync(NpgsqlConnection connection, string tenantId, string key, BillingCycle cycle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await LockKeysAsync(connection, tenantId, now, cancellationToken) is { } keys && keys.Contains(key, StringComparer.Ordinal))
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("UPDATE tenants SET budget_attribute_keys = array_append(budget_attribute_keys, @key) WHERE tenant_id = @tenant"),
                new NpgsqlBatchCommand("DELETE FROM attribute_minute_usage WHERE tenant_id = @tenant AND attribute_key = @key"),
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO attribute_minute_usage (tenant_id, cycle, minute, provider, model, attribute_key, attribute_value, events,
                        cache_read_tokens, cache_read_over_cap_tokens, cache_write_tokens, input_tokens, output_tokens, cost, last_event_at)
                    SELECT e.tenant_id, e.cycle, date_trunc('minute', e.occurred_at), e.provider, e.model, @key, e.attributes ->> @key,
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
                    WHERE e.tenant_id = @tenant AND e.cycle = @cycle AND e.attributes ->> @key IS NOT NULL
                    GROUP BY 1, 2, 3, 4, 5, 6, 7
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("tenant", tenantId));
            command.Parameters.Add(new NpgsqlParameter("key", key));
            command.Parameters.Add(new NpgsqlParameter("cycle", cycle.StartDate));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops keeping the key once no budget of the tenant names it any more, and drops its minutes.</summary>
    public static async Task ForgetUnlessNamedAsync(NpgsqlConnection connection, string tenantId, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LockKeysAsync(connection, tenantId, now, cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    UPDATE tenants SET budget_attribute_keys = array_remove(budget_attribute_keys, @key)
                    WHERE tenant_id = @tenant AND NOT EXISTS (
                        SELECT FROM scope_budgets WHERE tenant_id = @tenant AND scope_kind = 'attribute' AND split_part(scope_value, '=', 1) = @key)
                    """),
                new NpgsqlBatchCommand(
                    """
                    DELETE FROM attribute_minute_usage WHERE tenant_id = @tenant AND attribute_key = @key
                        AND NOT (@key = ANY(SELECT unnest(budget_attribute_keys) FROM tenants WHERE tenant_id = @tenant))
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("tenant", tenantId));
            command.Parameters.Add(new NpgsqlParameter("key", key));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Makes the tenant's row if it has none yet, locks it and returns the keys it keeps.</summary>
    private static async Task<string[]> LockKeysAsync(NpgsqlConnection connection, string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO tenants (tenant_id, cycle_anchor_day, tier_schedules, created_at) VALUES (@tenant, 1, '{}', @now) ON CONFLICT DO NOTHING"),
                new NpgsqlBatchCommand("SELECT budget_attribute_keys FROM tenants WHERE tenant_id = @tenant FOR UPDATE"),
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
}
