using Metering.Api.Access;
using Metering.Api.Endpoints;
using Metering.Api.Queries;
using Metering.Hosting;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Metering.Api.Dashboard;

/// <summary>
/// The live spend dashboard: a static page at <c>/dashboard</c> that holds no data and asks for an API key, and the
/// authenticated JSON it polls. A tenant key reaches only its own tenant, through the same filter as the rest of §9.
/// </summary>
public static class DashboardEndpoints
{
    public static void MapPage(WebApplication app)
    {
        app.MapGet("/dashboard", () => DashboardAssets.Serve("index.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/dashboard/{asset}", (string asset) => DashboardAssets.Serve(asset)).AllowAnonymous().ExcludeFromDescription();
    }

    public static void MapData(RouteGroupBuilder v1, RouteGroupBuilder tenant)
    {
        v1.MapGet("/whoami", WhoAmI)
            .WithTags("dashboard").WithSummary("The role of the calling API key and, for a tenant key, its tenant.");
        v1.MapGet("/dashboard/tenants", Overview).RequireAuthorization(Policies.Billing)
            .WithTags("dashboard").WithSummary("Every tenant's current cycle against its budget, the most throttled and furthest over budget first (admin and billing).");
        tenant.MapGet("/dashboard", Tenant)
            .WithTags("dashboard").WithSummary("The current cycle's summary, spend over time, throttle command history, scoped budgets and their levels, and charts (SVG) of one tenant.");
    }

    private static Ok<WhoAmI> WhoAmI(HttpContext http)
    {
        var caller = Caller.From(http.User);
        return TypedResults.Ok(new WhoAmI(caller.Role.ToString().ToLowerInvariant(), caller.TenantId));
    }

    private static async Task<Ok<List<TenantOverview>>> Overview(DashboardQuery query, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await query.OverviewAsync(time.GetUtcNow(), cancellationToken));

    private static async Task<Ok<TenantDashboard>> Tenant(
        string tenantId,
        CycleSummaryQuery summaries,
        TenantSettingsCache tenants,
        DashboardQuery query,
        TimeProvider time,
        IOptions<BillingRules> rules,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = await tenants.GetAsync(tenantId, cancellationToken);
        var cycle = BillingCycle.Containing(now, settings.CycleAnchorDay);
        var data = await summaries.ReadAsync(tenantId, cycle.StartDate, cancellationToken);
        var summary = CycleEndpoints.SummaryOf(tenantId, cycle, data, settings, now, rules.Value.GracePeriod);
        var (spent, commands, budgets) = await query.HistoryAsync(tenantId, cycle.StartDate, cancellationToken);
        return TypedResults.Ok(new TenantDashboard(
            summary,
            [.. spent.Select(p => new SpendPoint(p.At, Money.Format(p.Spend)))],
            commands,
            budgets,
            DashboardCharts.Of(summary, data, spent, now),
            now));
    }
}
