using MassTransit;
using Metering.Contracts;
using Metering.Hosting;
using Metering.Worker.Outbox;
using Metering.Worker.Usage;
using Microsoft.Extensions.Options;

namespace Metering.Worker;

public static class WorkerSetup
{
    public static WebApplicationBuilder AddMeteringWorker(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UsageMeter>();
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddHostedService<OutboxRelay>();

        builder.AddMeteringBus((bus, _) => bus.AddConsumer<UsageBatchConsumer>(), (context, rabbit) =>
        {
            var options = context.GetRequiredService<IOptions<WorkerOptions>>().Value;
            rabbit.ReceiveEndpoint(options.Queue, endpoint =>
            {
                ConfigureUsageEndpoint(endpoint, options);
                endpoint.ConfigureConsumer<UsageBatchConsumer>(context, consumer => consumer.Options<BatchOptions>(batch => Batching(batch, options)));
            });
        });
        return builder;
    }

    /// <summary>
    /// The usage endpoint: a durable quorum queue bound to the fanout exchange <c>metering.token-usage</c>, taking any
    /// body as raw bytes; faulted messages go back to the queue, never to an error queue.
    /// </summary>
    public static void ConfigureUsageEndpoint(IRabbitMqReceiveEndpointConfigurator endpoint, WorkerOptions options)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.SetQuorumQueue();
        endpoint.PrefetchCount = options.BatchMessageLimit * options.ConcurrentBatches * 2;
        endpoint.Bind(Exchanges.TokenUsage, exchange => exchange.ExchangeType = "fanout");
        endpoint.ClearSerialization();
        endpoint.AddSerializer(new UsageBodySerializerFactory());
        endpoint.AddDeserializer(new UsageBodySerializerFactory(), isDefault: true);
        endpoint.RethrowFaultedMessages();
    }

    public static BatchOptions Batching(BatchOptions batch, WorkerOptions options) => batch
        .SetMessageLimit(options.BatchMessageLimit)
        .SetTimeLimit(options.BatchTimeLimit)
        .SetConcurrencyLimit(options.ConcurrentBatches);
}
