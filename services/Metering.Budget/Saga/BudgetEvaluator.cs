using System.Diagnostics.Metrics;
using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Budget.Saga;

/// <summary>
/// The saga's I/O shell: under the tenant's row lock it loads state, budget and usage, calls the pure
/// <see cref="ThrottleDecision.Decide"/> — for the tenant's budget, then through <see cref="ScopedThrottles"/> for each
/// of its scoped budgets — and saves the results with any commands, which goes into the outbox in the
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
        var issued = new List<ThrottleCommand>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken))
        {
            var state = await SagaStore.LockAsync(connection, tenantId, now, cancellationToken);
            var (tenant, catalog, budget) = await store.TermsAsync(connection, tenantId, cancellationToken);
            var (budgets, states) = await ScopeStore.LoadAsync(connection, tenantId, cancellationToken);
            var cycle = BillingCycle.Containing(now, tenant.CycleAnchorDay);
            var usage = await SagaStore.UsageAsync(connection, tenantId, cycle, SpendProjection.WindowStart(cycle, now, settings.Window), cancellationToken);
            state = state with { Sequence = ScopedThrottles.TenantSequence(state.Sequence, states) };
            var decision = ThrottleDecision.Decide(state, budget, usage, catalog, tenant, now, settings);
            await SagaStore.SaveAsync(connection, decision, usage.SpendToDate, budget, now, cancellationToken);
            issued.AddRange(decision.Command is { } command ? [command] : []);

            var scopes = new List<ScopeEvaluation>();
            foreach (var (scopeState, scopeBudget) in ScopedThrottles.Due(tenantId, decision.State.Sequence, budgets, states))
            {
                var span = BudgetSpan.Of(scopeState.Period, cycle, now);
                var scopeUsage = await ScopeStore.UsageAsync(
                    connection, tenantId, scopeState.Scope, cycle, span, SpendProjection.WindowStart(span.Start, now, settings.Window), cancellationToken);
                scopes.Add(new ScopeEvaluation(scopeState, scopeBudget, scopeUsage));
            }

            var outcomes = ScopedThrottles.Decide(scopes, catalog, tenant, now, settings);
            for (var i = 0; i < scopes.Count; i++)
            {
                await ScopeStore.SaveAsync(connection, outcomes[i], scopes[i].Usage.SpendToDate, scopes[i].Budget?.Terms, now, cancellationToken);
                issued.AddRange(outcomes[i].Command is { } scoped ? [scoped] : []);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        evaluations.Add(1);
        foreach (var sent in issued)
        {
            var scope = sent.Scope ?? BudgetScope.Tenant;
            commands.Add(1, new KeyValuePair<string, object?>("level", SagaStore.LevelName(sent.Level)), new KeyValuePair<string, object?>("scope", scope.Kind.Name()));
            logger.LogInformation(
                "Throttle {Level} for {TenantId} {Scope} (sequence {Sequence}): {Reason}",
                SagaStore.LevelName(sent.Level), tenantId, scope.ToString(), sent.Sequence, sent.Reason);
        }
    }
}
