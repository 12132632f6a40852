using MassTransit;
using Metering.Ledger.Writing;

namespace Metering.Worker.Usage;

/// <summary>Takes a batch of usage messages off the queue and meters them in one ledger transaction.</summary>
public sealed class UsageBatchConsumer(UsageMeter meter) : IConsumer<Batch<UsageBody>>
{
    public Task Consume(ConsumeContext<Batch<UsageBody>> context) =>
        meter.MeterAsync(
            [.. context.Message.Select(message => IncomingMessage.Read(UsageBody.Of(message.ReceiveContext)))],
            context.CancellationToken);
}
