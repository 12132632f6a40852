namespace Metering.Api.Queries;

/// <summary>Which entries a ledger page shows.</summary>
public sealed record LedgerFilter(
    string TenantId, long? After, DateTimeOffset? From, DateTimeOffset? To, string? Provider, string? Model, string? Service, int Limit);
