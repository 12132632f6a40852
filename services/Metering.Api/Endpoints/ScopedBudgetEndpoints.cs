using Metering.Api.Access;
using Metering.Contracts;
using Metering.Ledger;
using Metering.Ledger.Model;
using Metering.Ledger.Writing;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metering.Api.Endpoints;

/// <summary>
/// <c>/v1/tenants/{tenantId}/budgets</c>: budgets on a service, one attribute value or a provider's model, per cycle
/// or per UTC day, and the whole tenant per UTC day (SPEC §15). Billing and admin keys set them; a tenant key reads its own. The tenant's own budget
/// stays at <c>/budget</c>.
/// </summary>
public static class ScopedBudgetEndpoints
{
    public static void Map(RouteGroupBuilder tenant)
    {
        tenant.MapGet("/budgets", List).WithSummary("A tenant's scoped budgets, each with its level, spend to date and projected spend over its period.");
        tenant.MapGet("/budgets/{budgetId:guid}", Get).WithSummary("One scoped budget and where its scope stands.");
        tenant.MapPost("/budgets", Create).RequireAuthorization(Policies.Billing)
            .WithSummary("Create a budget on a scope (service, attribute key=value, or provider/model) per cycle (default) or UTC day, or on the whole tenant per UTC day.");
        tenant.MapPut("/budgets/{budgetId:guid}", Change).RequireAuthorization(Policies.Billing)
            .WithSummary("Change a scoped budget's amount and thresholds (its scope and period stay).");
        tenant.MapDelete("/budgets/{budgetId:guid}", Delete).RequireAuthorization(Policies.Billing)
            .WithSummary("Delete a scoped budget: the saga lifts whatever throttle it left on its scope.");
    }

    /// <summary>The budgets and their states in one snapshot: one statement.</summary>
    private static async Task<Ok<List<ScopedBudgetView>>> List(string tenantId, LedgerDbContext db, CancellationToken cancellationToken)
    {
        var budgets = db.ScopeBudgets.AsNoTracking().Where(b => b.TenantId == tenantId).OrderBy(b => b.ScopeKind).ThenBy(b => b.ScopeValue).ThenBy(b => b.Period);
        return TypedResults.Ok(await WithStates(budgets, db).ToListAsync(cancellationToken));
    }

    private static async Task<Results<Ok<ScopedBudgetView>, ProblemHttpResult>> Get(string tenantId, Guid budgetId, LedgerDbContext db, CancellationToken cancellationToken)
    {
        var view = await WithStates(db.ScopeBudgets.AsNoTracking().Where(b => b.TenantId == tenantId && b.Id == budgetId), db).SingleOrDefaultAsync(cancellationToken);
        return view is null ? NotFound(tenantId, budgetId) : TypedResults.Ok(view);
    }

    /// <summary>
    /// An attribute budget on a value the tenant's budgets did not name yet starts the value's minute rollup, backfilled
    /// from the current cycle's ledger entries in the same transaction (<see cref="AttributeRollup.TrackAsync"/>).
    /// </summary>
    private static async Task<Results<Created<ScopedBudgetView>, ValidationProblem, ProblemHttpResult>> Create(
        string tenantId, ScopedBudgetRequest request, LedgerDbContext db, TimeProvider time, Messaging.BudgetNotifier notifier, CancellationToken cancellationToken)
    {
        if (!BudgetInputs.TryScope(request.Scope, out var scope, out var invalid) || !BudgetInputs.TryPeriod(request.Period, out var period, out invalid))
        {
            return invalid!;
        }

        if (scope.Kind == ScopeKind.Tenant && period == BudgetPeriod.Cycle)
        {
            return Problems.Invalid("period", "the tenant's own cycle budget is PUT /v1/tenants/{tenantId}/budget; a tenant scope here is per day: give \"period\": \"day\"");
        }

        if (BudgetInputs.Terms(request.Terms) is { } invalidTerms)
        {
            return invalidTerms;
        }

        var now = time.GetUtcNow();
        var budget = new ScopeBudget
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            ScopeKind = scope.Kind.Name(),
            ScopeValue = scope.Value,
            Period = period.Name(),
            CreatedAt = now,
        };
        Apply(budget, request.Terms, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (scope.Kind == ScopeKind.Attribute)
        {
            var settings = await TenantEndpoints.SettingsAsync(db, tenantId, cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var (key, value) = scope.Parts();
            await AttributeRollup.TrackAsync(connection, tenantId, key, value, BillingCycle.Containing(now, settings.CycleAnchorDay), now, cancellationToken);
        }

        db.ScopeBudgets.Add(budget);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            var existing = await db.ScopeBudgets.AsNoTracking()
                .Where(b => b.TenantId == tenantId && b.ScopeKind == budget.ScopeKind && b.ScopeValue == budget.ScopeValue && b.Period == budget.Period)
                .Select(b => (Guid?)b.Id).SingleOrDefaultAsync(cancellationToken);
            return Problems.Conflict($"tenant {tenantId} already has a {budget.Period} budget on {scope} ({existing}); change that one with PUT");
        }

        await transaction.CommitAsync(cancellationToken);
        await notifier.BudgetChangedAsync(tenantId, cancellationToken);
        return TypedResults.Created($"/v1/tenants/{tenantId}/budgets/{budget.Id}", ScopedBudgetView.Of(budget, null));
    }

    private static async Task<Results<Ok<ScopedBudgetView>, ValidationProblem, ProblemHttpResult>> Change(
        string tenantId, Guid budgetId, ScopedBudgetRequest request, LedgerDbContext db, TimeProvider time, Messaging.BudgetNotifier notifier, CancellationToken cancellationToken)
    {
        if (BudgetInputs.Terms(request.Terms) is { } invalid)
        {
            return invalid;
        }

        var budget = await db.ScopeBudgets.SingleOrDefaultAsync(b => b.TenantId == tenantId && b.Id == budgetId, cancellationToken);
        if (budget is null)
        {
            return NotFound(tenantId, budgetId);
        }

        if ((request.Scope is not null && (request.Scope.Kind != budget.ScopeKind || request.Scope.Value != budget.ScopeValue))
            || (request.Period is not null && request.Period != budget.Period))
        {
            return Problems.Invalid("scope", "a budget's scope and period are what it is and do not change: delete it and create another");
        }

        Apply(budget, request.Terms, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await notifier.BudgetChangedAsync(tenantId, cancellationToken);
        var state = await db.ScopeThrottleStates.AsNoTracking().SingleOrDefaultAsync(
            s => s.TenantId == tenantId && s.ScopeKind == budget.ScopeKind && s.ScopeValue == budget.ScopeValue && s.Period == budget.Period, cancellationToken);
        return TypedResults.Ok(ScopedBudgetView.Of(budget, state));
    }

    /// <summary>The last attribute budget naming a value stops its minute rollup (<see cref="AttributeRollup.ForgetUnlessNamedAsync"/>).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string tenantId, Guid budgetId, LedgerDbContext db, TimeProvider time, Messaging.BudgetNotifier notifier, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var budget = await db.ScopeBudgets.SingleOrDefaultAsync(b => b.TenantId == tenantId && b.Id == budgetId, cancellationToken);
        if (budget is null)
        {
            return NotFound(tenantId, budgetId);
        }

        db.ScopeBudgets.Remove(budget);
        await db.SaveChangesAsync(cancellationToken);
        if (budget.ScopeKind == ScopeKind.Attribute.Name())
        {
            var (key, value) = new BudgetScope(ScopeKind.Attribute, budget.ScopeValue).Parts();
            await AttributeRollup.ForgetUnlessNamedAsync((NpgsqlConnection)db.Database.GetDbConnection(), tenantId, key, value, time.GetUtcNow(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await notifier.BudgetChangedAsync(tenantId, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Each budget with the saga's state of its (scope, period), joined in the one query.</summary>
    public static IQueryable<ScopedBudgetView> WithStates(IQueryable<ScopeBudget> budgets, LedgerDbContext db) =>
        budgets.Select(b => ScopedBudgetView.Of(
            b, db.ScopeThrottleStates.FirstOrDefault(s => s.TenantId == b.TenantId && s.ScopeKind == b.ScopeKind && s.ScopeValue == b.ScopeValue && s.Period == b.Period)));

    private static void Apply(ScopeBudget budget, BudgetUpdate terms, DateTimeOffset now)
    {
        budget.Amount = terms.Amount!.Value;
        budget.WarnAt = terms.WarnAt ?? 0.8m;
        budget.SlowdownAt = terms.SlowdownAt ?? 1.0m;
        budget.BlockAt = terms.BlockAt ?? 1.0m;
        budget.UpdatedAt = now;
    }

    private static ProblemHttpResult NotFound(string tenantId, Guid budgetId) => Problems.NotFound($"tenant {tenantId} has no scoped budget {budgetId}");


}
