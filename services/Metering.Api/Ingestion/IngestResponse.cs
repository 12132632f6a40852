namespace Metering.Api.Ingestion;

/// <summary>
/// The answer of an ingestion request once RabbitMQ has confirmed it: <see cref="Accepted"/> events will be metered;
/// the <see cref="Errors"/> were refused and kept as rejections (SPEC §7). Re-sending an accepted event is harmless:
/// it is billed once.
/// </summary>
public sealed record IngestResponse(int Accepted, int Rejected, IReadOnlyList<ItemError> Errors);
