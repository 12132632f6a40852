using MassTransit;

namespace Metering.Budget.Saga;

/// <summary>
/// Spend updates and budget changes share the saga's durable quorum queue, <c>metering.budget</c>; spend updates come
/// in batches of up to 100 (50 ms), one batch at a time per instance.
/// </summary>
public sealed class SpendUpdatedConsumerDefinition : ConsumerDefinition<SpendUpdatedConsumer>
{
    public const string Queue = "metering.budget";

    public SpendUpdatedConsumerDefinition() => EndpointName = Queue;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SpendUpdatedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        BudgetChangedConsumerDefinition.ConfigureQueue(endpointConfigurator);
        consumerConfigurator.UseMessageRetry(BudgetChangedConsumerDefinition.Retry);
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(100)
            .SetTimeLimit(TimeSpan.FromMilliseconds(50))
            .SetConcurrencyLimit(1));
    }
}
