namespace Metering.Ingestion.Otlp;

/// <summary>What one trace export became.</summary>
/// <param name="Events">
/// One UTF-8 JSON array of usage events (SPEC §3), one per GenAI span, ready to publish as a RabbitMQ message body.
/// It is <c>[]</c> when the export held no GenAI span; there is then nothing to publish.
/// </param>
/// <param name="Spans">Every span in the export.</param>
/// <param name="GenAiSpans">The spans that reported token usage: one event each, valid or not (the consumer judges).</param>
/// <param name="IgnoredSpans">The spans that are not GenAI calls: counted, never metered.</param>
public sealed record OtlpBatch(byte[] Events, int Spans, int GenAiSpans, int IgnoredSpans);
