using System.Diagnostics.Metrics;
using MassTransit;
using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Budget.Saga;

/// <summary>
/// The saga's I/O shell: under the tenant's row lock it loads state, budget and usage, calls the pure
/// <see cref="BudgetSaga.Decide"/>, saves the result with any command, commits, and then publishes the command.
/// Evaluating twice with the same data decides nothing new, so redeliveries and a second saga instance issue no
/// extra command.
/// </summary>
public sealed class BudgetEvaluator(
    NpgsqlDataSource dataSource,
    SagaStore store,
    ThrottlePublisher publisher,
    IOptions<BudgetOptions> options,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<BudgetEvaluator> logger)
{
    private readonly Counter<long> evaluations =
        meters.Create(Hosting.Telemetry.MeterName).CreateCounter<long>("metering.budget.evaluations", "{evaluation}", "Tenant evaluations by the budget saga");

    private readonly Counter<long> commands =
        meters.Create(Hosting.Telemetry.MeterName).CreateCounter<long>("metering.throttle.commands", "{command}", "Throttle commands issued, by level");

    public async Task EvaluateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value.ToSettings();
        ThrottleCommand? issued;
        decimal projected;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var state = await SagaStore.LockAsync(connection, tenantId, now, cancellationToken);
            var (tenant, catalog, budget) = await store.TermsAsync(connection, tenantId, cancellationToken);
            var cycle = BillingCycle.Containing(now, tenant.CycleAnchorDay);
            var usage = await SagaStore.UsageAsync(connection, tenantId, cycle, SpendProjection.WindowStart(cycle, now, settings.Window), cancellationToken);
            var decision = BudgetSaga.Decide(state, budget, usage, catalog, tenant, now, settings);
            await SagaStore.SaveAsync(connection, decision, usage.SpendToDate, budget, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            (issued, projected) = (decision.Command, decision.ProjectedSpend);
        }

        evaluations.Add(1);
        if (issued is not null)
        {
            commands.Add(1, new KeyValuePair<string, object?>("level", SagaStore.LevelName(issued.Level)));
            logger.LogInformation(
                "Throttle {Level} for {TenantId} (sequence {Sequence}): {Reason}", SagaStore.LevelName(issued.Level), tenantId, issued.Sequence, issued.Reason);
            await publisher.PublishAsync([issued], cancellationToken);
        }
    }
}

/// <summary>Spend updates, batched: a burst for one tenant is one evaluation.</summary>
public sealed class SpendUpdatedConsumer(BudgetEvaluator evaluator) : IConsumer<Batch<SpendUpdated>>
{
    public async Task Consume(ConsumeContext<Batch<SpendUpdated>> context)
    {
        foreach (var tenantId in context.Message.Select(m => m.Message.TenantId).Distinct(StringComparer.Ordinal))
        {
            await evaluator.EvaluateAsync(tenantId, context.CancellationToken);
        }
    }
}

/// <summary>A budget set, raised or removed takes effect at once.</summary>
public sealed class BudgetChangedConsumer(BudgetEvaluator evaluator) : IConsumer<BudgetChanged>
{
    public Task Consume(ConsumeContext<BudgetChanged> context) => evaluator.EvaluateAsync(context.Message.TenantId, context.CancellationToken);
}
