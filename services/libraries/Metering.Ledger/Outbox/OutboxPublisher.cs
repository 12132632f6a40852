using System.Text.Json;
using MassTransit;
using Metering.Contracts;

namespace Metering.Ledger.Outbox;

/// <summary>
/// Publishes outbox messages on the bus, each with the id it was given when it was written, so a message published
/// twice is recognised downstream. How each type travels (envelope or raw JSON, which exchange) is the bus topology's.
/// </summary>
public sealed class OutboxPublisher(IBus bus)
{
    /// <summary>All at once: each publish waits for the broker's confirm, and they do not depend on one another.</summary>
    public Task PublishAsync(IReadOnlyList<OutboxEnvelope> envelopes, CancellationToken cancellationToken) =>
        Task.WhenAll(envelopes.Select(envelope => envelope.MessageType switch
        {
            nameof(SpendUpdated) => bus.Publish(Read<SpendUpdated>(envelope), context => context.MessageId = envelope.Id, cancellationToken),
            nameof(ThrottleCommand) => bus.Publish(Read<ThrottleCommand>(envelope), context => context.MessageId = envelope.Id, cancellationToken),
            _ => throw new InvalidOperationException($"outbox message {envelope.Id} is a {envelope.MessageType}, which no relay publishes"),
        }));

    private static T Read<T>(OutboxEnvelope envelope) => JsonSerializer.Deserialize<T>(envelope.Body, MeteringJson.Options)!;
}
