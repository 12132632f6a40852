using Metering.Api.Endpoints;
using Metering.Contracts;

namespace Metering.Api.Dashboard;

/// <summary>
/// Everything the dashboard shows for one tenant, from one request: the API's own summary plus the charts, and the
/// tenant's scoped budgets with the level of each.
/// </summary>
public sealed record TenantDashboard(
    CycleSummary Summary,
    IReadOnlyList<SpendPoint> Spent,
    IReadOnlyList<ThrottleCommand> Commands,
    IReadOnlyList<ScopedBudgetView> Budgets,
    DashboardCharts Charts,
    DateTimeOffset At);
