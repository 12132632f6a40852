using MassTransit;

namespace Metering.Worker.Corrections;

/// <summary>The reversal consumer on <see cref="CorrectionsQueue"/>.</summary>
public sealed class ReverseConsumerDefinition : ConsumerDefinition<ReverseConsumer>
{
    public ReverseConsumerDefinition() => EndpointName = CorrectionsQueue.Name;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ReverseConsumer> consumerConfigurator, IRegistrationContext context)
    {
        CorrectionsQueue.Configure(endpointConfigurator);
        consumerConfigurator.UseMessageRetry(CorrectionsQueue.Retry);
    }
}
