namespace Metering.Ingestion.Otlp;

/// <summary>What one trace export became.</summary>
/// <param name="Events">
/// One UTF-8 JSON array of usage events (SPEC §3), one per GenAI span, ready to publish as a RabbitMQ message body.
/// It is <c>[]</c> when the export held no GenAI span; there is then nothing to publish. The consumer takes at most
/// 1,000 events per message, so publish <see cref="MessageBodies"/> when an export may hold more.
/// </param>
/// <param name="Spans">Every span in the export.</param>
/// <param name="GenAiSpans">The spans that reported token usage: one event each, valid or not (the consumer judges).</param>
/// <param name="IgnoredSpans">The spans that are not GenAI calls: counted, never metered.</param>
public sealed record OtlpBatch(byte[] Events, int Spans, int GenAiSpans, int IgnoredSpans)
{
    /// <summary>SPEC §3: a message body holds at most this many events.</summary>
    public const int MaxEventsPerMessage = 1_000;

    /// <summary>Where each event ends in <see cref="Events"/>, so the array can be split without parsing it again.</summary>
    internal int[] EventEnds { get; init; } = [];

    /// <summary>
    /// <see cref="Events"/> as message bodies of at most <paramref name="maxEvents"/> events each: the array itself
    /// when it fits (no copy, and nothing at all when it is empty), else consecutive slices of it, each its own array.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> MessageBodies(int maxEvents = MaxEventsPerMessage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        if (GenAiSpans <= maxEvents)
        {
            return GenAiSpans == 0 ? [] : [Events];
        }

        return Split(maxEvents);
    }

    private IEnumerable<ReadOnlyMemory<byte>> Split(int maxEvents)
    {
        for (var first = 0; first < EventEnds.Length; first += maxEvents)
        {
            var last = Math.Min(first + maxEvents, EventEnds.Length) - 1;

            // After '[' for the first event, after the ',' that precedes it for the others.
            var start = first == 0 ? 1 : EventEnds[first - 1] + 1;
            var events = Events.AsSpan(start, EventEnds[last] - start);
            var body = new byte[events.Length + 2];
            body[0] = (byte)'[';
            events.CopyTo(body.AsSpan(1));
            body[^1] = (byte)']';
            yield return body;
        }
    }
}
