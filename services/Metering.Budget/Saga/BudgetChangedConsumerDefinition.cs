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

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<BudgetChangedConsumer> consumerConfigurator, IRegistrationContext context) =>
        ConfigureQueue(endpointConfigurator);
}
