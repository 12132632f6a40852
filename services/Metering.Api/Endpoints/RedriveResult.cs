namespace Metering.Api.Endpoints;

public sealed record RedriveResult(long RejectionId, string Outcome, long LedgerEntryId, string Cycle, string Cost);
