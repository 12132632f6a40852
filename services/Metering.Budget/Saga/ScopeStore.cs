using System.Text.Json;
using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Budget.Saga;

/// <summary>
/// What the saga reads and writes for a tenant's scoped budgets (SPEC §15), inside the transaction that holds the
/// tenant's row lock (<see cref="SagaStore.LockAsync"/>): that lock, not one per scope, serializes every evaluation of
/// the tenant, so the scopes' states and sequences need no locks of their own.
/// </summary>
public static class ScopeStore
{
    public static async Task<(IReadOnlyList<ScopedBudget> Budgets, IReadOnlyList<SagaState> States)> LoadAsync(
        NpgsqlConnection connection, string tenantId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    SELECT scope_kind, scope_value, period, amount, warn_at, slowdown_at, block_at FROM scope_budgets
                    WHERE tenant_id = @tenant ORDER BY scope_kind, scope_value, period
                    """),
                new NpgsqlBatchCommand(
                    "SELECT scope_kind, scope_value, period, period_start, level, sequence FROM scope_throttle_states WHERE tenant_id = @tenant"),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("tenant", tenantId));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var budgets = new List<ScopedBudget>();
        while (await reader.ReadAsync(cancellationToken))
        {
            budgets.Add(new ScopedBudget(
                ScopeOf(reader.GetString(0), reader.GetString(1)),
                PeriodOf(reader.GetString(2)),
                new BudgetTerms(reader.GetDecimal(3), reader.GetDecimal(4), reader.GetDecimal(5), reader.GetDecimal(6))));
        }

        await reader.NextResultAsync(cancellationToken);
        var states = new List<SagaState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new SagaState(
                tenantId,
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3),
                JsonSerializer.Deserialize<ThrottleLevel>($"\"{reader.GetString(4)}\"", MeteringJson.Options),
                reader.GetInt64(5))
            {
                Scope = ScopeOf(reader.GetString(0), reader.GetString(1)),
                Period = PeriodOf(reader.GetString(2)),
            });
        }

        return (budgets, states);
    }

    /// <summary>
    /// The scope's usage over <paramref name="span"/>: the whole tenant (a daily tenant budget), a service or model scope
    /// from <c>minute_usage</c>, an attribute scope from <c>attribute_minute_usage</c>; spend to date is the sum of the
    /// span's minutes.
    /// </summary>
    public static Task<CycleUsage> UsageAsync(
        NpgsqlConnection connection, string tenantId, BudgetScope scope, BillingCycle cycle, BudgetSpan span, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        var (first, second) = scope.Parts();
        var (table, filter) = scope.Kind switch
        {
            ScopeKind.Tenant => ("minute_usage", "TRUE"),
            ScopeKind.Service => ("minute_usage", "service = @first"),
            ScopeKind.Model => ("minute_usage", "provider = @first AND model = @second"),
            ScopeKind.Attribute => ("attribute_minute_usage", "attribute_key = @first AND attribute_value = @second"),
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "not a budget scope"),
        };
        var minutes = $"{table} WHERE tenant_id = @tenant AND cycle = @cycle AND {filter}";
        return SagaStore.ReadUsageAsync(
            connection,
            $"SELECT coalesce(sum(cost), 0), min(minute) FROM {minutes} AND minute >= @spanStart AND minute < @spanEnd",
            minutes,
            [new NpgsqlParameter("tenant", tenantId), new NpgsqlParameter("first", scope.Kind == ScopeKind.Service ? scope.Value : first), new NpgsqlParameter("second", second)],
            cycle,
            span,
            windowStart,
            cancellationToken);
    }

    /// <summary>Saves one scope's decision; a command is recorded with it, and put in the outbox to be published once this transaction commits.</summary>
    public static async Task SaveAsync(
        NpgsqlConnection connection, ThrottleOutcome decision, decimal spendToDate, BudgetTerms? budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = decision.State;
        var (kind, period) = (state.Scope.Kind.Name(), state.Period.Name());
        var command = decision.Command is null ? null : JsonSerializer.Serialize(decision.Command, MeteringJson.Options);
        await using var batch = new NpgsqlBatch(connection);
        var save = new NpgsqlBatchCommand(
            """
            INSERT INTO scope_throttle_states AS s (tenant_id, scope_kind, scope_value, period, period_start, level, sequence, spend_to_date,
                projected_spend, budget, evaluated_at, last_command)
            VALUES (@tenant, @kind, @value, @period, @start, @level, @sequence, @spend, @projected, @budget, @now, @command)
            ON CONFLICT (tenant_id, scope_kind, scope_value, period) DO UPDATE SET period_start = EXCLUDED.period_start, level = EXCLUDED.level,
                sequence = EXCLUDED.sequence, spend_to_date = EXCLUDED.spend_to_date, projected_spend = EXCLUDED.projected_spend,
                budget = EXCLUDED.budget, evaluated_at = EXCLUDED.evaluated_at, last_command = coalesce(EXCLUDED.last_command, s.last_command)
            """);
        save.Parameters.AddWithValue("tenant", state.TenantId);
        save.Parameters.AddWithValue("kind", kind);
        save.Parameters.AddWithValue("value", state.Scope.Value);
        save.Parameters.AddWithValue("period", period);
        save.Parameters.AddWithValue("start", state.Cycle!.Value);
        save.Parameters.AddWithValue("level", SagaStore.LevelName(state.Level));
        save.Parameters.AddWithValue("sequence", state.Sequence);
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

    private static BudgetScope ScopeOf(string kind, string value) => new(Enum.Parse<ScopeKind>(kind, ignoreCase: true), value);

    private static BudgetPeriod PeriodOf(string period) => Enum.Parse<BudgetPeriod>(period, ignoreCase: true);
}
