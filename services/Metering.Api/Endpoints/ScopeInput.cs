namespace Metering.Api.Endpoints;

/// <summary>A budget's scope as a request names it: <c>{ "kind": "service", "value": "agent-loop" }</c>.</summary>
public sealed record ScopeInput(string? Kind, string? Value);
