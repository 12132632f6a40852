namespace Metering.Api.Endpoints;

public sealed record UsageReport(string GroupBy, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageRow> Groups, string TotalCost);
