namespace Metering.Api.Endpoints;

public sealed record ReversalResult(long EntryId, long ReversalId, string Cycle, string Cost);
