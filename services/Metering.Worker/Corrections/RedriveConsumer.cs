using MassTransit;
using Metering.Contracts;

namespace Metering.Worker.Corrections;

/// <summary>Re-drives a rejected event for the ledger API and answers what happened.</summary>
public sealed class RedriveConsumer(RedriveMeter meter) : IConsumer<RedriveRejection>
{
    public async Task Consume(ConsumeContext<RedriveRejection> context) =>
        await context.RespondAsync(await meter.RedriveAsync(context.Message, context.CancellationToken));
}
