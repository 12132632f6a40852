using Metering.Api.Endpoints;
using Metering.Contracts;

namespace Metering.Api.Dashboard;

/// <summary>Everything the dashboard shows for one tenant, from one request: the API's own summary plus the charts.</summary>
public sealed record TenantDashboard(
    CycleSummary Summary,
    IReadOnlyList<SpendPoint> Spent,
    IReadOnlyList<ThrottleCommand> Commands,
    DashboardCharts Charts,
    DateTimeOffset At);
