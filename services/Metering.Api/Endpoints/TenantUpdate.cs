namespace Metering.Api.Endpoints;

public sealed record TenantUpdate(int? CycleAnchorDay, Dictionary<string, string>? TierSchedules);
