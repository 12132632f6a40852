using MassTransit;
using Metering.Pricing.Usage;
using Microsoft.Extensions.Options;

namespace Metering.Worker.Usage;

/// <summary>Takes a batch of usage messages off the queue and meters them in one ledger transaction.</summary>
public sealed class UsageBatchConsumer(UsageMeter meter, IOptions<WorkerOptions> options, TimeProvider time) : IConsumer<Batch<UsageBody>>
{
    public Task Consume(ConsumeContext<Batch<UsageBody>> context)
    {
        var receivedAt = time.GetUtcNow();
        var tolerance = options.Value.ArrivalTolerance;
        return meter.MeterAsync(
            [.. context.Message.Select(message => IncomingMessage.Read(
                UsageBody.Of(message.ReceiveContext), ArrivalTime.Of(message.ReceiveContext, receivedAt, tolerance)))],
            context.CancellationToken);
    }
}
