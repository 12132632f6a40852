namespace Metering.Api.Endpoints;

public sealed record ReversalRequest(string? Reason);
