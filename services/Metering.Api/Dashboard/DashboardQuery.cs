using System.Text.Json;
using Metering.Api.Endpoints;
using Metering.Contracts;
using Metering.Ledger;
using Metering.Ledger.Model;
using Metering.Pricing;
using Npgsql;

namespace Metering.Api.Dashboard;

/// <summary>
/// What the dashboard reads beyond a cycle summary: the spend over time (from the hourly rollup), the throttle command
/// history, the scoped budgets with their states, and the overview of every tenant. Small tables only, never the
/// ledger's entries.
/// </summary>
public sealed class DashboardQuery(NpgsqlDataSource dataSource)
{
    public const int CommandHistory = 20;

    /// <summary>
    /// Cumulative spend at the end of each hour of the cycle that has usage, the tenant's newest commands (its own and
    /// its scopes'), and its scoped budgets with their levels: one snapshot.
    /// </summary>
    public async Task<(IReadOnlyList<(DateTimeOffset At, decimal Spend)> Spent, IReadOnlyList<ThrottleCommand> Commands, IReadOnlyList<ScopedBudgetView> Budgets)> HistoryAsync(
        string tenantId, DateOnly cycle, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var snapshot = await connection.BeginSnapshotAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, snapshot)
        {
            BatchCommands =
            {
                new("SELECT hour, sum(cost) FROM hourly_usage WHERE tenant_id = @tenant AND cycle = @cycle GROUP BY hour ORDER BY hour"),
                new($"SELECT body::text FROM throttle_commands WHERE tenant_id = @tenant ORDER BY issued_at DESC, sequence DESC LIMIT {CommandHistory}"),
                new(
                    """
                    SELECT b.id, b.scope_kind, b.scope_value, b.period, b.amount, b.warn_at, b.slowdown_at, b.block_at, b.created_at, b.updated_at,
                        s.level, s.spend_to_date, s.projected_spend, s.period_start, s.evaluated_at
                    FROM scope_budgets b
                    LEFT JOIN scope_throttle_states s USING (tenant_id, scope_kind, scope_value, period)
                    WHERE b.tenant_id = @tenant
                    ORDER BY b.scope_kind, b.scope_value, b.period
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter("tenant", tenantId));
            command.Parameters.Add(new NpgsqlParameter("cycle", cycle));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var spent = new List<(DateTimeOffset, decimal)>();
        var total = 0m;
        while (await reader.ReadAsync(cancellationToken))
        {
            total += reader.GetDecimal(1);
            spent.Add((reader.GetFieldValue<DateTimeOffset>(0).AddHours(1), total));
        }

        await reader.NextResultAsync(cancellationToken);
        var commands = new List<ThrottleCommand>();
        while (await reader.ReadAsync(cancellationToken))
        {
            commands.Add(JsonSerializer.Deserialize<ThrottleCommand>(reader.GetString(0), MeteringJson.Options)!);
        }

        await reader.NextResultAsync(cancellationToken);
        var budgets = new List<ScopedBudgetView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            budgets.Add(ScopedBudgetOf(tenantId, reader));
        }

        return (spent, commands, budgets);
    }

    private static ScopedBudgetView ScopedBudgetOf(string tenantId, NpgsqlDataReader reader)
    {
        var budget = new ScopeBudget
        {
            Id = reader.GetGuid(0),
            TenantId = tenantId,
            ScopeKind = reader.GetString(1),
            ScopeValue = reader.GetString(2),
            Period = reader.GetString(3),
            Amount = reader.GetDecimal(4),
            WarnAt = reader.GetDecimal(5),
            SlowdownAt = reader.GetDecimal(6),
            BlockAt = reader.GetDecimal(7),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(8),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(9),
        };
        var state = reader.IsDBNull(10) ? null : new ScopeThrottleState
        {
            TenantId = tenantId,
            ScopeKind = budget.ScopeKind,
            ScopeValue = budget.ScopeValue,
            Period = budget.Period,
            Level = reader.GetString(10),
            SpendToDate = reader.GetDecimal(11),
            ProjectedSpend = reader.GetDecimal(12),
            PeriodStart = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateOnly>(13),
            EvaluatedAt = reader.GetFieldValue<DateTimeOffset>(14),
        };
        return ScopedBudgetView.Of(budget, state);
    }

    /// <summary>Every tenant with usage or a budget, in its current cycle; the runaway ones first.</summary>
    public async Task<List<TenantOverview>> OverviewAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH latest AS (SELECT DISTINCT ON (tenant_id) tenant_id, cycle, events, cost FROM cycle_states ORDER BY tenant_id, cycle DESC),
                 known AS (SELECT tenant_id FROM latest UNION SELECT tenant_id FROM tenant_budgets UNION SELECT tenant_id FROM scope_budgets)
            SELECT known.tenant_id, l.cycle, l.events, l.cost, b.amount, s.cycle, s.level, s.projected_spend, t.cycle_anchor_day,
                coalesce(scoped.periods, '{}'), coalesce(scoped.starts, '{}'), coalesce(scoped.levels, '{}')
            FROM known
            LEFT JOIN tenants t ON t.tenant_id = known.tenant_id
            LEFT JOIN latest l ON l.tenant_id = known.tenant_id
            LEFT JOIN tenant_budgets b ON b.tenant_id = known.tenant_id
            LEFT JOIN throttle_states s ON s.tenant_id = known.tenant_id
            LEFT JOIN LATERAL (
                SELECT array_agg(x.period) AS periods, array_agg(x.period_start) AS starts, array_agg(x.level) AS levels
                FROM scope_throttle_states x WHERE x.tenant_id = known.tenant_id AND x.level <> 'normal' AND x.period_start IS NOT NULL
            ) scoped ON true
            """);
        var rows = new List<TenantOverview>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var tenantId = reader.GetString(0);
                var anchorDay = reader.IsDBNull(8) ? TenantSettings.DefaultFor(tenantId).CycleAnchorDay : reader.GetInt32(8);
                var current = BillingCycle.Containing(now, anchorDay);
                var inCycle = !reader.IsDBNull(1) && reader.GetFieldValue<DateOnly>(1) == current.StartDate;
                var events = inCycle ? reader.GetInt64(2) : 0;
                var spend = inCycle ? reader.GetDecimal(3) : 0m;
                decimal? budget = reader.IsDBNull(4) ? null : reader.GetDecimal(4);
                var sagaInCycle = !reader.IsDBNull(5) && reader.GetFieldValue<DateOnly>(5) == current.StartDate;
                decimal? projected = sagaInCycle ? Math.Max(reader.GetDecimal(7), spend) : null;
                var (scopedLevel, throttledScopes) = ScopedLevels(
                    reader.GetFieldValue<string[]>(9), reader.GetFieldValue<DateOnly[]>(10), reader.GetFieldValue<string[]>(11), current, now);
                rows.Add(new TenantOverview(
                    tenantId,
                    current.Name,
                    events,
                    Money.Format(spend),
                    projected is { } p ? Money.Format(p) : null,
                    budget is { } b ? Money.Format(b) : null,
                    budget is { } ofProjected && ofProjected > 0m ? Endpoints.Inputs.Ratio(projected ?? spend, ofProjected) : null,
                    budget is { } ofSpend && ofSpend > 0m ? Endpoints.Inputs.Ratio(spend, ofSpend) : null,
                    sagaInCycle ? reader.GetString(6) : "normal",
                    scopedLevel,
                    throttledScopes));
            }
        }

        return [.. rows.OrderBy(r => r, RunawayFirst.Instance)];
    }

    /// <summary>
    /// The levels above normal of the tenant's scoped budgets that are still in their period — the current cycle, or
    /// today for a daily budget (a level of an earlier day no longer applies) — as (strictest, how many).
    /// </summary>
    private static (string Level, int Count) ScopedLevels(string[] periods, DateOnly[] starts, string[] levels, BillingCycle cycle, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var inForce = levels.Where((_, i) => starts[i] == (periods[i] == BudgetPeriod.Day.Name() ? today : cycle.StartDate)).ToList();
        return (inForce.OrderByDescending(Severity).FirstOrDefault() ?? "normal", inForce.Count);
    }

    private static int Severity(string level) => Enum.TryParse<ThrottleLevel>(level, ignoreCase: true, out var parsed) ? (int)parsed : -1;

    /// <summary>The most throttled first (by the tenant's budget or any scoped one), then the furthest over budget by projection, then the biggest spenders.</summary>
    private sealed class RunawayFirst : IComparer<TenantOverview>
    {
        public static readonly RunawayFirst Instance = new();

        public int Compare(TenantOverview? x, TenantOverview? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var byLevel = Strictest(y).CompareTo(Strictest(x));
            if (byLevel != 0)
            {
                return byLevel;
            }

            var byUse = Amount(y.ProjectedBudgetUse, -1m).CompareTo(Amount(x.ProjectedBudgetUse, -1m));
            return byUse != 0 ? byUse
                : Amount(y.Spend, 0m).CompareTo(Amount(x.Spend, 0m)) is var bySpend and not 0 ? bySpend
                : string.CompareOrdinal(x.TenantId, y.TenantId);
        }

        private static int Strictest(TenantOverview tenant) => Math.Max(Severity(tenant.ThrottleLevel), Severity(tenant.ScopedLevel));

        private static decimal Amount(string? value, decimal missing) =>
            value is null ? missing : decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
