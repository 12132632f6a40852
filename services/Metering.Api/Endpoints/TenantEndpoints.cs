using Metering.Api.Access;
using Metering.Ledger;
using Metering.Ledger.Catalog;
using Metering.Ledger.Model;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Metering.Api.Endpoints;

/// <summary><c>/v1/tenants/{tenantId}</c> and its <c>/budget</c>: anchor day, tier schedule overrides, budget and thresholds.</summary>
public static class TenantEndpoints
{
    public static void Map(RouteGroupBuilder tenant)
    {
        tenant.MapGet("", GetSettings).WithSummary("A tenant's settings: cycle anchor day and tier schedule overrides.");
        tenant.MapPut("", PutSettings).RequireAuthorization(Policies.Admin)
            .WithSummary("Set the anchor day (only before the tenant's first event) and tier schedule overrides (from the next event on).");
        tenant.MapGet("/budget", GetBudget).WithSummary("A tenant's budget per cycle and its thresholds.");
        tenant.MapPut("/budget", PutBudget).RequireAuthorization(Policies.Billing)
            .WithSummary("Set the budget and thresholds (fractions of the amount: warn and slowdown on projected spend, block on actual).");
        tenant.MapDelete("/budget", DeleteBudget).RequireAuthorization(Policies.Billing).WithSummary("Remove the budget: no throttling.");
    }

    public static async Task<TenantSettings> SettingsAsync(LedgerDbContext db, string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
        return tenant is null
            ? TenantSettings.DefaultFor(tenantId)
            : new TenantSettings { TenantId = tenantId, CycleAnchorDay = tenant.CycleAnchorDay, TierScheduleOverrides = tenant.TierSchedules };
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> GetSettings(string tenantId, LedgerDbContext db, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
        if (tenant is null && !await db.CycleStates.AnyAsync(s => s.TenantId == tenantId, cancellationToken))
        {
            return Problems.NotFound($"tenant {tenantId} has no settings and no usage");
        }

        return TypedResults.Ok(new TenantView(tenantId, tenant?.CycleAnchorDay ?? 1, tenant?.TierSchedules ?? [], tenant?.ConfiguredAt is not null));
    }

    /// <summary>
    /// Under the tenant row's lock (<c>FOR UPDATE</c>), which waits for every metering transaction holding it
    /// <c>FOR SHARE</c>: the check that the tenant has no usage yet and the change are one step, so an anchor day
    /// never changes under the tenant's first events in flight.
    /// </summary>
    private static async Task<Results<Ok<TenantView>, ValidationProblem, ProblemHttpResult>> PutSettings(
        string tenantId, TenantUpdate update, LedgerDbContext db, CatalogStore catalogs, Queries.TenantSettingsCache cached, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO tenants (tenant_id, cycle_anchor_day, tier_schedules, created_at) VALUES ({tenantId}, 1, '{{}}', {now}) ON CONFLICT DO NOTHING",
            cancellationToken);
        var current = await db.Tenants.FromSql($"SELECT * FROM tenants WHERE tenant_id = {tenantId} FOR UPDATE").SingleAsync(cancellationToken);
        var settings = new TenantSettings
        {
            TenantId = tenantId,
            CycleAnchorDay = update.CycleAnchorDay ?? current.CycleAnchorDay,
            TierScheduleOverrides = update.TierSchedules ?? current.TierSchedules,
        };
        if (settings.CycleAnchorDay is < 1 or > 28)
        {
            return Problems.Invalid("cycleAnchorDay", $"must be between 1 and 28, not {settings.CycleAnchorDay}");
        }

        var problems = (await catalogs.CurrentAsync(cancellationToken)).ProblemsWith(settings);
        if (problems.Count > 0)
        {
            return Problems.Invalid("tierSchedules", string.Join("; ", problems));
        }

        if (settings.CycleAnchorDay != current.CycleAnchorDay && await db.CycleStates.AnyAsync(s => s.TenantId == tenantId, cancellationToken))
        {
            return Problems.Conflict($"tenant {tenantId} already has usage; its cycles (and their tier counters) are fixed, so its anchor day cannot change");
        }

        current.CycleAnchorDay = settings.CycleAnchorDay;
        current.TierSchedules = new Dictionary<string, string>(settings.TierScheduleOverrides);
        current.ConfiguredAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cached.Forget(tenantId);
        return TypedResults.Ok(new TenantView(tenantId, current.CycleAnchorDay, current.TierSchedules, true));
    }

    private static async Task<Results<Ok<BudgetView>, ProblemHttpResult>> GetBudget(string tenantId, LedgerDbContext db, CancellationToken cancellationToken)
    {
        var budget = await db.TenantBudgets.AsNoTracking().SingleOrDefaultAsync(b => b.TenantId == tenantId, cancellationToken);
        return budget is null ? Problems.NotFound($"tenant {tenantId} has no budget") : TypedResults.Ok(BudgetView.Of(budget));
    }

    private static async Task<Results<Ok<BudgetView>, ValidationProblem>> PutBudget(
        string tenantId, BudgetUpdate update, LedgerDbContext db, TimeProvider time, Messaging.BudgetNotifier notifier, CancellationToken cancellationToken)
    {
        if (BudgetInputs.Terms(update) is { } invalid)
        {
            return invalid;
        }

        var budget = await db.TenantBudgets.SingleOrDefaultAsync(b => b.TenantId == tenantId, cancellationToken);
        if (budget is null)
        {
            budget = new TenantBudget { TenantId = tenantId };
            db.TenantBudgets.Add(budget);
        }

        budget.Amount = update.Amount!.Value;
        budget.WarnAt = update.WarnAt ?? 0.8m;
        budget.SlowdownAt = update.SlowdownAt ?? 1.0m;
        budget.BlockAt = update.BlockAt ?? 1.0m;
        budget.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await notifier.BudgetChangedAsync(tenantId, cancellationToken);
        return TypedResults.Ok(BudgetView.Of(budget));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteBudget(
        string tenantId, LedgerDbContext db, Messaging.BudgetNotifier notifier, CancellationToken cancellationToken)
    {
        if (await db.TenantBudgets.Where(b => b.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return Problems.NotFound($"tenant {tenantId} has no budget");
        }

        await notifier.BudgetChangedAsync(tenantId, cancellationToken);
        return TypedResults.NoContent();
    }
}
