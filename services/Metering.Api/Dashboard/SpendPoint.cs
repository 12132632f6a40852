namespace Metering.Api.Dashboard;

public sealed record SpendPoint(DateTimeOffset At, string Spend);
