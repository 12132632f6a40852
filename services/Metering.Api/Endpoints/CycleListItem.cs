namespace Metering.Api.Endpoints;

public sealed record CycleListItem(string Cycle, DateTimeOffset Start, DateTimeOffset End, string Status, long Events, string Cost);
