using Metering.Ledger;
using Metering.Ledger.Catalog;
using Metering.Ledger.Model;
using Metering.Pricing;
using Npgsql;

namespace Metering.Api.Queries;

/// <summary>
/// The reads behind <c>GET /v1/tenants/{t}/cycles/{cycle}</c>: plain Npgsql, one batch, tiny tables (the rollups,
/// never the entries), so the summary costs the same at ten entries as at ten million. One snapshot: the cost, the
/// per-model and the per-bucket sums are read as of the same commit, so they always agree.
/// </summary>
public sealed class CycleSummaryQuery(NpgsqlDataSource dataSource, CatalogStore catalogs)
{
    public async Task<CycleSummaryData> ReadAsync(string tenantId, DateOnly cycle, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var snapshot = await connection.BeginSnapshotAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, snapshot)
        {
            BatchCommands =
            {
                new("SELECT events, cost, first_event_at, version, updated_at, reversals FROM cycle_states WHERE tenant_id = @tenant AND cycle = @cycle"),
                new(
                    """
                    SELECT provider, model, events, prompt_tokens, completion_tokens, cached_tokens, billed_tokens, reserved_output_waste,
                           reserved_output_waste_cost, cost, reasoning_tokens
                    FROM cycle_model_totals WHERE tenant_id = @tenant AND cycle = @cycle ORDER BY provider, model
                    """),
                new("SELECT provider, model, bucket, sum(tokens)::bigint, sum(amount) FROM cycle_rollups WHERE tenant_id = @tenant AND cycle = @cycle GROUP BY 1, 2, 3"),
                new("SELECT provider, billed_tokens FROM cycle_counters WHERE tenant_id = @tenant AND cycle = @cycle ORDER BY provider"),
                new("SELECT amount, warn_at, slowdown_at, block_at, updated_at FROM tenant_budgets WHERE tenant_id = @tenant"),
                new("SELECT cycle, level, projected_spend FROM throttle_states WHERE tenant_id = @tenant"),
                new("SELECT revision FROM catalog_revision WHERE id = 1"),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("tenant", tenantId));
            command.Parameters.Add(new NpgsqlParameter("cycle", cycle));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        CycleState? state = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            state = new CycleState
            {
                TenantId = tenantId,
                Cycle = cycle,
                Events = reader.GetInt64(0),
                Cost = reader.GetDecimal(1),
                FirstEventAt = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                Version = reader.GetInt64(3),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(4),
                Reversals = reader.GetInt64(5),
            };
        }

        await reader.NextResultAsync(cancellationToken);
        var models = new List<CycleModelTotals>();
        while (await reader.ReadAsync(cancellationToken))
        {
            models.Add(new CycleModelTotals
            {
                TenantId = tenantId,
                Cycle = cycle,
                Provider = reader.GetString(0),
                Model = reader.GetString(1),
                Events = reader.GetInt64(2),
                PromptTokens = reader.GetInt64(3),
                CompletionTokens = reader.GetInt64(4),
                CachedTokens = reader.GetInt64(5),
                BilledTokens = reader.GetInt64(6),
                ReservedOutputWaste = reader.GetInt64(7),
                ReservedOutputWasteCost = reader.GetDecimal(8),
                Cost = reader.GetDecimal(9),
                ReasoningTokens = reader.GetInt64(10),
            });
        }

        await reader.NextResultAsync(cancellationToken);
        var buckets = new List<(string, string, string, long, decimal)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetDecimal(4)));
        }

        await reader.NextResultAsync(cancellationToken);
        var counters = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counters.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        TenantBudget? budget = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            budget = new TenantBudget
            {
                TenantId = tenantId,
                Amount = reader.GetDecimal(0),
                WarnAt = reader.GetDecimal(1),
                SlowdownAt = reader.GetDecimal(2),
                BlockAt = reader.GetDecimal(3),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(4),
            };
        }

        await reader.NextResultAsync(cancellationToken);
        (DateOnly?, string, decimal)? throttle = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            throttle = (reader.IsDBNull(0) ? null : reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetDecimal(2));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var revision = reader.GetInt64(0);
        await reader.DisposeAsync();
        var catalog = catalogs.Cached(revision) ?? await catalogs.CurrentAsync(connection, cancellationToken);
        return new CycleSummaryData(state, models, buckets, counters, budget, throttle, catalog);
    }
}
