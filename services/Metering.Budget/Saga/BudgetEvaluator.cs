using System.Diagnostics.Metrics;
using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Budget.Saga;

/// <summary>
/// The saga's I/O shell: under the tenant's row lock it loads state, budget and usage, calls the pure
/// <see cref="ThrottleDecision.Decide"/>, and saves the result with any command, which goes into the outbox in the
/// same transaction and is published by the outbox relay after the commit. Evaluating twice with the same data
/// decides nothing new, so redeliveries and a second saga instance issue no extra command.
/// </summary>
public sealed class BudgetEvaluator(
    NpgsqlDataSource dataSource,
    SagaStore store,
    IOptions<BudgetOptions> options,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<BudgetEvaluator> logger)
{
    private const int SerializationAttempts = 20;

    private readonly Counter<long> evaluations =
        meters.Create(Hosting.Telemetry.MeterName).CreateCounter<long>("metering.budget.evaluations", "{evaluation}", "Tenant evaluations by the budget saga");

    private readonly Counter<long> commands =
        meters.Create(Hosting.Telemetry.MeterName).CreateCounter<long>("metering.throttle.commands", "{command}", "Throttle commands issued, by level");

    /// <summary>
    /// One evaluation in one REPEATABLE READ transaction: the state, the budget and the usage it decides on are one
    /// snapshot, taken after the row lock is granted. When another instance changed the state meanwhile, PostgreSQL
    /// refuses the update (40001) and the evaluation starts again from a fresh snapshot.
    /// </summary>
    public async Task EvaluateAsync(string tenantId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EvaluateOnceAsync(tenantId, cancellationToken);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure && attempt < SerializationAttempts)
            {
                // another instance evaluated the tenant at the same time: decide again on what it committed
            }
        }
    }

    private async Task EvaluateOnceAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value.ToSettings();
        ThrottleCommand? issued;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken))
        {
            var state = await SagaStore.LockAsync(connection, tenantId, now, cancellationToken);
            var (tenant, catalog, budget) = await store.TermsAsync(connection, tenantId, cancellationToken);
            var cycle = BillingCycle.Containing(now, tenant.CycleAnchorDay);
            var usage = await SagaStore.UsageAsync(connection, tenantId, cycle, SpendProjection.WindowStart(cycle, now, settings.Window), cancellationToken);
            var decision = ThrottleDecision.Decide(state, budget, usage, catalog, tenant, now, settings);
            await SagaStore.SaveAsync(connection, decision, usage.SpendToDate, budget, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            issued = decision.Command;
        }

        evaluations.Add(1);
        if (issued is not null)
        {
            commands.Add(1, new KeyValuePair<string, object?>("level", SagaStore.LevelName(issued.Level)));
            logger.LogInformation(
                "Throttle {Level} for {TenantId} (sequence {Sequence}): {Reason}", SagaStore.LevelName(issued.Level), tenantId, issued.Sequence, issued.Reason);
        }
    }
}
