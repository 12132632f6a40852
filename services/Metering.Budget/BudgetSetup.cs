using MassTransit;
using Metering.Budget.Saga;
using Metering.Hosting;

namespace Metering.Budget;

public static class BudgetSetup
{
    /// <summary>
    /// The saga: consumes spend updates and budget changes on a durable quorum queue, ticks, and decides throttle
    /// commands into the outbox, whose relay publishes them as raw JSON on the fanout exchange <c>metering.throttle</c>
    /// so rate limiters in any language can read them.
    /// </summary>
    public static WebApplicationBuilder AddBudgetSaga(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BudgetOptions>().BindConfiguration(BudgetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SagaStore>();
        builder.Services.AddSingleton<BudgetEvaluator>();
        builder.Services.AddSingleton<Ticker>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<Ticker>());
        builder.AddMeteringOutboxRelay();
        builder.AddMeteringBus(
            (bus, _) =>
            {
                bus.AddConsumer<SpendUpdatedConsumer, SpendUpdatedConsumerDefinition>();
                bus.AddConsumer<BudgetChangedConsumer, BudgetChangedConsumerDefinition>();
            },
            (context, rabbit) => rabbit.ConfigureEndpoints(context));
        return builder;
    }
}
