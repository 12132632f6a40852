using MassTransit;
using Metering.Hosting;
using Metering.Worker.Outbox;
using Metering.Worker.Usage;
using Microsoft.Extensions.Options;

namespace Metering.Worker;

public static class WorkerSetup
{
    /// <summary>
    /// The usage consumer on a durable quorum queue bound to the fanout exchange <c>metering.token-usage</c>, taking
    /// any body as raw bytes, in batches; faulted messages go back to the queue, never to an error queue.
    /// </summary>
    public static WebApplicationBuilder AddMeteringWorker(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UsageMeter>();
        builder.Services.AddHostedService<OutboxRelay>();

        builder.AddMeteringBus((bus, context) =>
        {
            bus.AddConsumer<UsageBatchConsumer>();
        }, (context, rabbit) =>
        {
            var options = context.GetRequiredService<IOptions<WorkerOptions>>().Value;
            rabbit.ReceiveEndpoint(options.Queue, endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.SetQuorumQueue();
                endpoint.PrefetchCount = options.BatchMessageLimit * options.ConcurrentBatches * 2;
                endpoint.Bind(Metering.Contracts.Exchanges.TokenUsage, exchange => exchange.ExchangeType = "fanout");
                endpoint.ClearSerialization();
                endpoint.AddSerializer(new UsageBodySerializerFactory());
                endpoint.AddDeserializer(new UsageBodySerializerFactory(), isDefault: true);
                endpoint.RethrowFaultedMessages();
                endpoint.ConfigureConsumer<UsageBatchConsumer>(context, consumer => consumer.Options<BatchOptions>(batch => batch
                    .SetMessageLimit(options.BatchMessageLimit)
                    .SetTimeLimit(options.BatchTimeLimit)
                    .SetConcurrencyLimit(options.ConcurrentBatches)));
            });
        });
        return builder;
    }
}
