namespace Metering.Api.Ingestion;

/// <summary>Why one item of an ingestion request was refused; it is kept as a rejection all the same.</summary>
/// <param name="Index">Its position in the request (0 for a single event).</param>
public sealed record ItemError(int Index, string? EventId, string? TenantId, string Code, string Message);
