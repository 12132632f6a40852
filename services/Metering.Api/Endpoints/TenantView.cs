namespace Metering.Api.Endpoints;

public sealed record TenantView(string TenantId, int CycleAnchorDay, IReadOnlyDictionary<string, string> TierSchedules, bool Configured);
