using MassTransit;

namespace Metering.Budget.Saga;

/// <summary>Budget changes arrive on the saga's queue, beside spend updates (<see cref="SpendUpdatedConsumerDefinition"/>).</summary>
public sealed class BudgetChangedConsumerDefinition : ConsumerDefinition<BudgetChangedConsumer>
{
    public BudgetChangedConsumerDefinition() => EndpointName = SpendUpdatedConsumerDefinition.Queue;

    /// <summary>The saga's queue: durable, quorum, room for two batches of spend updates in flight.</summary>
    public static void ConfigureQueue(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
            rabbit.PrefetchCount = 200;
        }
    }

    /// <summary>
    /// A fault of ours (the database restarting, say) is retried in place, with backoff, for about a minute; only what
    /// still fails after that goes to MassTransit's error queue, <c>metering.budget_error</c>, kept and logged.
    /// </summary>
    public static void Retry(IRetryConfigurator retry) =>
        retry.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<BudgetChangedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ConfigureQueue(endpointConfigurator);
        consumerConfigurator.UseMessageRetry(Retry);
    }
}
