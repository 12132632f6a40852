using System.Text.Json;
using MassTransit;
using Metering.Contracts;
using Metering.Ledger.Writing;

namespace Metering.Worker.Outbox;

/// <summary>Publishes outbox envelopes as <see cref="SpendUpdated"/> messages, each with the id it was given when written.</summary>
public static class SpendUpdates
{
    public static async Task PublishAsync(IPublishEndpoint publish, IReadOnlyList<OutboxEnvelope> envelopes, CancellationToken cancellationToken)
    {
        foreach (var envelope in envelopes)
        {
            if (envelope.MessageType != nameof(SpendUpdated))
            {
                throw new InvalidOperationException($"the outbox holds a {envelope.MessageType}, which this service does not publish");
            }

            var update = JsonSerializer.Deserialize<SpendUpdated>(envelope.Body, MeteringJson.Options)!;
            await publish.Publish(update, context => context.MessageId = envelope.Id, cancellationToken);
        }
    }
}
