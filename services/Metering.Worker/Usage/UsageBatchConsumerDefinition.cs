using MassTransit;
using Metering.Contracts;
using Microsoft.Extensions.Options;

namespace Metering.Worker.Usage;

/// <summary>
/// The usage endpoint: a durable quorum queue bound to the fanout exchange <c>metering.token-usage</c>, taking any body
/// as raw bytes, in batches. A message that fails goes back to the queue (never to MassTransit's error queue); after
/// <see cref="WorkerOptions.DeliveryLimit"/> deliveries RabbitMQ moves it, at least once, to the dead-letter queue.
/// </summary>
public sealed class UsageBatchConsumerDefinition : ConsumerDefinition<UsageBatchConsumer>
{
    private readonly WorkerOptions options;

    public UsageBatchConsumerDefinition(IOptions<WorkerOptions> options)
    {
        this.options = options.Value;
        EndpointName = this.options.Queue;
    }

    /// <summary>The endpoint's queue, binding, serialization and prefetch; the transport-ceiling benchmark uses the same.</summary>
    public static void ConfigureEndpoint(IRabbitMqReceiveEndpointConfigurator endpoint, WorkerOptions options)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.SetQuorumQueue();
        endpoint.SetQueueArgument("x-delivery-limit", options.DeliveryLimit);
        endpoint.SetQueueArgument("x-dead-letter-exchange", options.DeadLetterQueue);
        endpoint.SetQueueArgument("x-dead-letter-strategy", "at-least-once");
        endpoint.SetQueueArgument("x-overflow", "reject-publish"); // what at-least-once dead-lettering requires
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

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<UsageBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            ConfigureEndpoint(rabbit, options);
        }

        consumerConfigurator.Options<BatchOptions>(batch => Batching(batch, options));
    }
}
