using MassTransit;

namespace Metering.Worker.Corrections;

/// <summary>The re-drive consumer on <see cref="CorrectionsQueue"/>.</summary>
public sealed class RedriveConsumerDefinition : ConsumerDefinition<RedriveConsumer>
{
    public RedriveConsumerDefinition() => EndpointName = CorrectionsQueue.Name;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RedriveConsumer> consumerConfigurator, IRegistrationContext context)
    {
        CorrectionsQueue.Configure(endpointConfigurator);
        consumerConfigurator.UseMessageRetry(CorrectionsQueue.Retry);
    }
}
