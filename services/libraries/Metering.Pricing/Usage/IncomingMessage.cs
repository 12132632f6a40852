namespace Metering.Pricing.Usage;

/// <summary>One message as it arrived: its bytes, the events read from them, and when it reached the broker.</summary>
/// <param name="ArrivedAt">The arrival every event of the message is judged by (grace period, future timestamps).</param>
/// <param name="FirstPosition">The position in the message of <see cref="Reads"/>' first event: 0, unless this is
/// one event taken out of its message (<see cref="Only"/>).</param>
public sealed record IncomingMessage(ReadOnlyMemory<byte> Body, IReadOnlyList<UsageRead> Reads, DateTimeOffset ArrivedAt, int FirstPosition = 0)
{
    public static IncomingMessage Read(ReadOnlyMemory<byte> body, DateTimeOffset arrivedAt) => new(body, UsageReader.ReadMessage(body), arrivedAt);

    /// <summary>The event at <paramref name="index"/> of <see cref="Reads"/> alone, still known by its message and position.</summary>
    public IncomingMessage Only(int index) => this with { Reads = [Reads[index]], FirstPosition = FirstPosition + index };
}
