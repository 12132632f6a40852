namespace Metering.Api.Dashboard;

public sealed record WhoAmI(string Role, string? TenantId);
