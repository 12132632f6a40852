using System.Text.Json;
using MassTransit;
using Metering.Contracts;
using Metering.Ledger.Outbox;
using Metering.Ledger.Writing;

namespace Metering.Hosting;

/// <summary>
/// Publishes what a ledger transaction left in the outbox, each message with the id it was given when written, then
/// marks it published. Internal events travel in MassTransit's envelope on the bus.
/// </summary>
public sealed class OutboxPublisher(IBus bus, OutboxStore outbox)
{
    public async Task PublishAsync(IReadOnlyList<OutboxEnvelope> envelopes, CancellationToken cancellationToken)
    {
        await PublishOnlyAsync(bus, envelopes, cancellationToken);
        await outbox.MarkPublishedAsync([.. envelopes.Select(e => e.Id)], cancellationToken);
    }

    /// <summary>Publishes without marking: for the relay, which marks inside its own transaction.</summary>
    public static Task PublishOnlyAsync(IPublishEndpoint publish, IReadOnlyList<OutboxEnvelope> envelopes, CancellationToken cancellationToken) =>
        // All at once: each publish waits for the broker's confirm, and they do not depend on one another.
        Task.WhenAll(envelopes.Select(envelope =>
        {
            if (envelope.MessageType != nameof(SpendUpdated))
            {
                throw new InvalidOperationException($"the outbox holds a {envelope.MessageType}, which this service does not publish");
            }

            var update = JsonSerializer.Deserialize<SpendUpdated>(envelope.Body, MeteringJson.Options)!;
            return publish.Publish(update, context => context.MessageId = envelope.Id, cancellationToken);
        }));
}
