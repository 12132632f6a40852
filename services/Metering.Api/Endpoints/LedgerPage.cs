namespace Metering.Api.Endpoints;

public sealed record LedgerPage(IReadOnlyList<EntryView> Items, string? NextCursor, bool HasMore);
