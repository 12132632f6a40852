namespace Metering.Throttling;

/// <summary>
/// What a caller knows of a request when it asks the limiter: its tenant, and the service, attributes and
/// provider/model it is for, so that budgets on those scopes (SPEC §15) throttle only the requests they cover.
/// </summary>
public sealed record ThrottleRequest(
    string TenantId,
    string? Service = null,
    IReadOnlyDictionary<string, string>? Attributes = null,
    string? Provider = null,
    string? Model = null);
