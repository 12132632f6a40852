using MassTransit;
using Metering.Hosting;
using Metering.Ledger.Outbox;

namespace Metering.Worker.Outbox;

/// <summary>Publishes spend updates a crash left in the outbox after their ledger transaction committed.</summary>
public sealed class OutboxRelay(OutboxStore outbox, IBus bus, TimeProvider time, ILogger<OutboxRelay> logger) : UnpublishedRelay(time, logger)
{
    protected override string What => "outbox messages";

    protected override Task<int> RelayAsync(TimeSpan grace, CancellationToken cancellationToken) =>
        outbox.RelayAsync(grace, 500, (envelopes, ct) => OutboxPublisher.PublishOnlyAsync(bus, envelopes, ct), cancellationToken);
}
