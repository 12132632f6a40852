using Google.Protobuf;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// The usage event id of a span: lowercase hex trace id, '-', hex span id. A span that is exported again (an
/// exporter retry, a collector replay) keeps both ids, so it gets the same event id and bills once (SPEC §7).
/// </summary>
public static class SpanEventId
{
    private const int TraceIdBytes = 16;
    private const int SpanIdBytes = 8;

    /// <summary>The length of every event id this makes: 32 + 1 + 16 characters.</summary>
    public const int Length = (TraceIdBytes * 2) + 1 + (SpanIdBytes * 2);

    /// <summary>
    /// Writes the id into <paramref name="destination"/> (at least <see cref="Length"/> characters). False for ids
    /// OTLP calls invalid (wrong length, all zeros): they would collide with every other invalid span, so such a span
    /// gets no event id and the consumer rejects it instead of deduplicating it away.
    /// </summary>
    public static bool TryFormat(ReadOnlySpan<byte> traceId, ReadOnlySpan<byte> spanId, Span<char> destination)
    {
        if (!IsValid(traceId, TraceIdBytes) || !IsValid(spanId, SpanIdBytes) || destination.Length < Length)
        {
            return false;
        }

        Convert.TryToHexStringLower(traceId, destination, out var written);
        destination[written] = '-';
        Convert.TryToHexStringLower(spanId, destination[(written + 1)..], out _);
        return true;
    }

    /// <summary>The id as a string, or null when the ids are invalid.</summary>
    public static string? For(ByteString traceId, ByteString spanId)
    {
        Span<char> id = stackalloc char[Length];
        return TryFormat(traceId.Span, spanId.Span, id) ? new string(id) : null;
    }

    private static bool IsValid(ReadOnlySpan<byte> id, int length) => id.Length == length && id.ContainsAnyExcept((byte)0);
}
