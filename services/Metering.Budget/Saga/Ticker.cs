using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Budget.Saga;

/// <summary>
/// Re-evaluates every tenant with a budget (its own or a scoped one), a throttle state or recent usage each <see cref="BudgetOptions.TickInterval"/>,
/// so throttles lift when traffic stops, a budget changes behind the saga's back, or a cycle (or a daily budget's day)
/// rolls over; and prunes the minute usage no projection window reaches any more.
/// </summary>
public sealed class Ticker(NpgsqlDataSource dataSource, BudgetEvaluator evaluator, IOptions<BudgetOptions> options, TimeProvider time, ILogger<Ticker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.TickInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Budget tick failed: {Error}", e.Message);
            }
        }
    }

    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT tenant_id FROM tenant_budgets
            UNION SELECT tenant_id FROM throttle_states WHERE level <> 'normal'
            UNION SELECT tenant_id FROM scope_budgets
            UNION SELECT tenant_id FROM scope_throttle_states WHERE level <> 'normal'
            UNION SELECT tenant_id FROM cycle_states WHERE updated_at > @since
            """);
        command.Parameters.AddWithValue("since", time.GetUtcNow() - TimeSpan.FromDays(35));
        var tenants = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tenants.Add(reader.GetString(0));
            }
        }

        foreach (var tenantId in tenants)
        {
            await evaluator.EvaluateAsync(tenantId, cancellationToken);
        }

        await PruneMinutesAsync(cancellationToken);
    }

    /// <summary>Minute usage older than the longest projection window is never read again: one tick's worth goes each tick.</summary>
    private async Task PruneMinutesAsync(CancellationToken cancellationToken)
    {
        await using var prune = dataSource.CreateBatch();
        foreach (var table in (string[])["minute_usage", "attribute_minute_usage"])
        {
            var command = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE minute < @cutoff");
            command.Parameters.AddWithValue("cutoff", time.GetUtcNow() - TimeSpan.FromDays(Ledger.Model.MinuteUsage.RetentionDays));
            prune.BatchCommands.Add(command);
        }

        await prune.ExecuteNonQueryAsync(cancellationToken);
    }
}
