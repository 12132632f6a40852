using MassTransit;
using Metering.Budget.Saga;
using Metering.Contracts;
using Metering.Hosting;

namespace Metering.Budget;

public static class BudgetSetup
{
    /// <summary>
    /// The saga: consumes spend updates and budget changes on a durable quorum queue, ticks, and publishes throttle
    /// commands as raw JSON on the fanout exchange <c>metering.throttle</c> so rate limiters in any language can read them.
    /// </summary>
    public static WebApplicationBuilder AddBudgetSaga(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BudgetOptions>().BindConfiguration(BudgetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SagaStore>();
        builder.Services.AddSingleton<BudgetEvaluator>();
        builder.Services.AddSingleton<ThrottlePublisher>();
        builder.Services.AddSingleton<Ticker>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<Ticker>());
        builder.Services.AddHostedService<ThrottleRelay>();

        builder.AddMeteringBus(
            (bus, _) =>
            {
                bus.AddConsumer<SpendUpdatedConsumer>();
                bus.AddConsumer<BudgetChangedConsumer>();
            },
            (context, rabbit) =>
            {
                // Published messages are raw JSON; consumed ones still arrive in MassTransit's envelope.
                rabbit.UseRawJsonSerializer(RawSerializerOptions.AddTransportHeaders | RawSerializerOptions.AnyMessageType, isDefault: false);
                rabbit.AddDeserializer(new MassTransit.Configuration.SystemTextJsonMessageSerializerFactory(), isDefault: true);
                rabbit.Message<ThrottleCommand>(message => message.SetEntityName(Exchanges.Throttle));
                rabbit.ReceiveEndpoint("metering.budget", endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.PrefetchCount = 200;
                    endpoint.ConfigureConsumer<SpendUpdatedConsumer>(context, consumer => consumer.Options<BatchOptions>(batch => batch
                        .SetMessageLimit(100)
                        .SetTimeLimit(TimeSpan.FromMilliseconds(50))
                        .SetConcurrencyLimit(1)));
                    endpoint.ConfigureConsumer<BudgetChangedConsumer>(context);
                });
            });
        return builder;
    }
}
