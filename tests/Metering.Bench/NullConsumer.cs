using MassTransit;
using Metering.Worker;
using Metering.Worker.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.Bench;

/// <summary>
/// The transport ceiling: the consumer's own endpoint (queue, binding, deserializer, batching, prefetch) with a
/// consumer that does nothing but count.
/// </summary>
internal sealed class NullConsumer : IConsumer<Batch<UsageBody>>
{
    private static long consumed;

    public static long Consumed => Interlocked.Read(ref consumed);

    public static async Task<IAsyncDisposable> StartAsync(Uri vhost)
    {
        Interlocked.Exchange(ref consumed, 0);
        var options = new WorkerOptions();
        var services = new ServiceCollection();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<NullConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(vhost);
                rabbit.ReceiveEndpoint(options.Queue, endpoint =>
                {
                    UsageBatchConsumerDefinition.ConfigureEndpoint(endpoint, options);
                    endpoint.ConfigureConsumer<NullConsumer>(context, consumer => consumer.Options<BatchOptions>(batch => UsageBatchConsumerDefinition.Batching(batch, options)));
                });
            });
        });
        var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync();
        return new Stopper(bus, provider);
    }

    public Task Consume(ConsumeContext<Batch<UsageBody>> context)
    {
        foreach (var message in context.Message)
        {
            _ = UsageBody.Of(message.ReceiveContext); // read the body, as the real consumer does
        }

        Interlocked.Add(ref consumed, context.Message.Length);
        return Task.CompletedTask;
    }

    private sealed class Stopper(IBusControl bus, ServiceProvider provider) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await bus.StopAsync();
            await provider.DisposeAsync();
        }
    }
}
