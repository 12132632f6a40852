using System.Text.Json;
using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Ledger;
using Metering.Ledger.Catalog;
using Metering.Pricing;
using Metering.Pricing.Catalog;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Budget.Saga;

/// <summary>Everything the saga reads and writes in one tenant's evaluation, inside the transaction that holds its row lock.</summary>
public sealed class SagaStore(CatalogStore catalogs, TenantStore tenants)
{
    /// <summary>Locks the tenant's saga row (creating it on first sight) and returns its state.</summary>
    public static async Task<SagaState> LockAsync(NpgsqlConnection connection, string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO throttle_states AS s (tenant_id, cycle, level, sequence, spend_to_date, projected_spend, spend_version, evaluated_at)
            VALUES (@tenant, NULL, 'normal', 0, 0, 0, 0, @now)
            ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = s.tenant_id
            RETURNING cycle, level, sequence
            """,
            connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SagaState(
            tenantId,
            reader.IsDBNull(0) ? null : reader.GetFieldValue<DateOnly>(0),
            JsonSerializer.Deserialize<ThrottleLevel>($"\"{reader.GetString(1)}\"", MeteringJson.Options),
            reader.GetInt64(2));
    }

    public async Task<(TenantSettings Tenant, PriceCatalog Catalog, BudgetTerms? Budget)> TermsAsync(
        NpgsqlConnection connection, string tenantId, CancellationToken cancellationToken)
    {
        var tenant = (await tenants.LoadAsync(connection, [tenantId], cancellationToken))[tenantId];
        var catalog = await catalogs.CurrentAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand("SELECT amount, warn_at, slowdown_at, block_at FROM tenant_budgets WHERE tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var budget = await reader.ReadAsync(cancellationToken)
            ? new BudgetTerms(reader.GetDecimal(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3))
            : null;
        return (tenant, catalog, budget);
    }

    /// <summary>
    /// The cycle's spend, counters and first use, and the tokens of the trailing window from the minute rollup: the
    /// window starts at the minute <paramref name="windowStart"/> falls in (or the cycle's start), so it is exact to the
    /// minute whatever its length (SPEC §15).
    /// </summary>
    public static Task<CycleUsage> UsageAsync(
        NpgsqlConnection connection, string tenantId, BillingCycle cycle, DateTimeOffset windowStart, CancellationToken cancellationToken) =>
        ReadUsageAsync(
            connection,
            "SELECT cost, first_event_at FROM cycle_states WHERE tenant_id = @tenant AND cycle = @cycle",
            "minute_usage WHERE tenant_id = @tenant AND cycle = @cycle",
            [new NpgsqlParameter("tenant", tenantId)],
            cycle,
            new BudgetSpan(BudgetPeriod.Cycle, cycle.Start, cycle.End),
            windowStart,
            cancellationToken);

    /// <summary>
    /// Usage over a budget's span: <paramref name="spendSql"/> gives spend to date and first use, then the tenant's tier
    /// counters, then the window's tokens by (provider, model) from <paramref name="minutes"/> (a minute table and its
    /// filter). The parameters <c>@cycle</c>, <c>@from</c>, <c>@spanStart</c> and <c>@spanEnd</c> are set here.
    /// </summary>
    public static async Task<CycleUsage> ReadUsageAsync(
        NpgsqlConnection connection,
        string spendSql,
        string minutes,
        IReadOnlyList<NpgsqlParameter> parameters,
        BillingCycle cycle,
        BudgetSpan span,
        DateTimeOffset windowStart,
        CancellationToken cancellationToken)
    {
        var minute = Ledger.Model.UsageTime.MinuteOf(windowStart);
        var start = minute < span.Start ? span.Start : minute;
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(spendSql),
                new NpgsqlBatchCommand("SELECT provider, billed_tokens FROM cycle_counters WHERE tenant_id = @tenant AND cycle = @cycle"),
                new NpgsqlBatchCommand(
                    $"""
                    SELECT provider, model, sum(cache_read_tokens), sum(cache_read_over_cap_tokens), sum(cache_write_tokens), sum(input_tokens), sum(output_tokens),
                        sum(events), max(last_event_at)
                    FROM {minutes} AND minute >= @from
                    GROUP BY provider, model
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("cycle", cycle.StartDate));
            command.Parameters.Add(new NpgsqlParameter("from", start));
            command.Parameters.Add(new NpgsqlParameter("spanStart", span.Start));
            command.Parameters.Add(new NpgsqlParameter("spanEnd", span.End));
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(parameter.Clone());
            }
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        decimal spend = 0;
        DateTimeOffset? first = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            spend = reader.GetDecimal(0);
            first = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        }

        await reader.NextResultAsync(cancellationToken);
        var counters = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counters[reader.GetString(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync(cancellationToken);
        var window = new List<BucketTokens>();
        var events = 0L;
        DateTimeOffset? last = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var (provider, model) = (reader.GetString(0), reader.GetString(1));
            BucketKind[] buckets = [BucketKind.CacheRead, BucketKind.CacheReadOverCap, BucketKind.CacheWrite, BucketKind.Input, BucketKind.Output];
            for (var i = 0; i < buckets.Length; i++)
            {
                window.Add(new BucketTokens(provider, model, buckets[i], reader.GetInt64(2 + i)));
            }

            events += reader.GetInt64(7);
            var latest = reader.GetFieldValue<DateTimeOffset>(8);
            last = last is { } seen && seen >= latest ? seen : latest;
        }

        return new CycleUsage(cycle, spend, counters, first, start, window) { WindowEvents = events, LastEventAt = last, Span = span };
    }

    /// <summary>Saves the decision; a command is recorded with it, and put in the outbox to be published once this transaction commits.</summary>
    public static async Task SaveAsync(
        NpgsqlConnection connection, ThrottleOutcome decision, decimal spendToDate, BudgetTerms? budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var command = decision.Command is null ? null : JsonSerializer.Serialize(decision.Command, MeteringJson.Options);
        var save = new NpgsqlBatchCommand(
            """
            UPDATE throttle_states SET cycle = @cycle, level = @level, sequence = @sequence, spend_to_date = @spend,
                projected_spend = @projected, budget = @budget, evaluated_at = @now, last_command = coalesce(@command, last_command)
            WHERE tenant_id = @tenant
            """);
        save.Parameters.AddWithValue("tenant", decision.State.TenantId);
        save.Parameters.AddWithValue("cycle", decision.State.Cycle!.Value);
        save.Parameters.AddWithValue("level", LevelName(decision.State.Level));
        save.Parameters.AddWithValue("sequence", decision.State.Sequence);
        save.Parameters.AddWithValue("spend", spendToDate);
        save.Parameters.AddWithValue("projected", decision.ProjectedSpend);
        save.Parameters.AddWithValue("budget", NpgsqlDbType.Numeric, (object?)budget?.Amount ?? DBNull.Value);
        save.Parameters.AddWithValue("now", now);
        save.Parameters.AddWithValue("command", NpgsqlDbType.Jsonb, (object?)command ?? DBNull.Value);
        batch.BatchCommands.Add(save);

        // a command was issued: record it and put it in the outbox and the webhooks, in this transaction
        if (decision.Command is { } issued)
        {
            IssuedCommand.AddTo(batch, issued, command!, now);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string LevelName(ThrottleLevel level) => JsonSerializer.Serialize(level, MeteringJson.Options).Trim('"');
}
