using MassTransit;
using Metering.Contracts;
using Metering.Ledger.Writing;

namespace Metering.Worker.Corrections;

/// <summary>Reverses a ledger entry for the ledger API and answers what happened.</summary>
public sealed class ReverseConsumer(ReversalTransaction reversals, TimeProvider time) : IConsumer<ReverseEntry>
{
    public async Task Consume(ConsumeContext<ReverseEntry> context) =>
        await context.RespondAsync(await reversals.ReverseAsync(context.Message, time.GetUtcNow(), context.CancellationToken));
}
