using MassTransit;
using Metering.Hosting;
using Metering.Ledger.Partitions;
using Metering.Worker.Corrections;
using Metering.Worker.Usage;

namespace Metering.Worker;

public static class WorkerSetup
{
    /// <summary>
    /// The usage consumer on its queue, re-drives and reversals on theirs, the dead-letter queue's watch, the ledger's
    /// partitions kept ahead, and the outbox relay.
    /// </summary>
    public static WebApplicationBuilder AddMeteringWorker(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UsageMeter>();
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton<RedriveMeter>();
        builder.Services.AddHostedService<DeadLetterMonitor>();
        builder.Services.AddHostedService<LedgerPartitionMaintenance>();
        builder.AddMeteringOutboxRelay();
        builder.AddMeteringBus(
            (bus, _) =>
            {
                bus.AddConsumer<UsageBatchConsumer, UsageBatchConsumerDefinition>();
                bus.AddConsumer<RedriveConsumer, RedriveConsumerDefinition>();
                bus.AddConsumer<ReverseConsumer, ReverseConsumerDefinition>();
            },
            (context, rabbit) => rabbit.ConfigureEndpoints(context));
        return builder;
    }
}
