using System.Net.Mime;
using MassTransit;
using Metering.Contracts;
using Metering.Ledger.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.Hosting;

/// <summary>MassTransit on RabbitMQ (one node or a cluster, <see cref="RabbitMqBroker"/>), with the exchange names and wire formats of the contract.</summary>
public static class MessageBus
{
    /// <summary>The content type of raw JSON: what throttle commands travel as, so that rate limiters in any language read them.</summary>
    public static readonly ContentType RawJson = new("application/json");

    public static WebApplicationBuilder AddMeteringBus(
        this WebApplicationBuilder builder,
        Action<IBusRegistrationConfigurator, IConfiguration> register,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> configure)
    {
        var broker = RabbitMqBroker.From(builder.Configuration);
        builder.Services.AddMassTransit(bus =>
        {
            register(bus, builder.Configuration);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                broker.Configure(rabbit);
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

    /// <summary>
    /// The relay that publishes what this service's transactions put in the outbox (<see cref="OutboxRelay"/>), with
    /// its settings from section <c>Outbox</c>.
    /// </summary>
    public static WebApplicationBuilder AddMeteringOutboxRelay(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>
    /// Internal events go to the exchanges the contract names, in MassTransit's envelope; throttle commands go to
    /// <c>metering.throttle</c> as raw JSON.
    /// </summary>
    public static void UseMeteringTopology(this IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.AddRawJsonSerializer(RawSerializerOptions.AddTransportHeaders | RawSerializerOptions.AnyMessageType);
        rabbit.Message<SpendUpdated>(message => message.SetEntityName(Exchanges.SpendUpdated));
        rabbit.Message<BudgetChanged>(message => message.SetEntityName(Exchanges.BudgetChanged));
        rabbit.Message<ThrottleCommand>(message => message.SetEntityName(Exchanges.Throttle));
        rabbit.Message<RedriveRejection>(message => message.SetEntityName(Exchanges.Redrive));
        rabbit.Message<ReverseEntry>(message => message.SetEntityName(Exchanges.Reverse));
        rabbit.Send<ThrottleCommand>(send => send.UseSerializer(RawJson));
    }
}
