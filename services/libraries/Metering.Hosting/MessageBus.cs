using MassTransit;
using Metering.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.Hosting;

/// <summary>MassTransit on RabbitMQ, from <c>RabbitMq:Uri</c>, with the exchange names of the contract.</summary>
public static class MessageBus
{
    public static WebApplicationBuilder AddMeteringBus(
        this WebApplicationBuilder builder,
        Action<IBusRegistrationConfigurator, IConfiguration> register,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> configure)
    {
        var uri = builder.Configuration.RequiredUri(Settings.RabbitMqUri, "amqp://guest:guest@127.0.0.1:5672/");
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddMassTransit(bus =>
        {
            register(bus, builder.Configuration);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri);
                rabbit.UseMeteringTopology();
                configure(context, rabbit);
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            // Tests wait for the bus; a service starts anyway and keeps reconnecting until the broker is there.
            options.WaitUntilStarted = builder.Configuration.GetValue<bool>("RabbitMq:WaitUntilStarted");
        });
        return builder;
    }

    /// <summary>Internal events go to the exchanges the contract names, not to ones named after .NET types.</summary>
    public static void UseMeteringTopology(this IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.Message<SpendUpdated>(message => message.SetEntityName(Exchanges.SpendUpdated));
        rabbit.Message<BudgetChanged>(message => message.SetEntityName(Exchanges.BudgetChanged));
    }
}
