using System.Diagnostics.Metrics;
using Metering.Hosting;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Metering.Worker.Usage;

/// <summary>
/// The dead-letter queue of the usage queue: declared at start (a fanout exchange and a quorum queue, both named
/// <c>&lt;queue&gt;.dead-letter</c>), so that what RabbitMQ dead-letters is kept, and watched: its depth is the metric
/// <c>metering.usage.dead_letters</c>, and every message that arrives in it is logged as an error. Nothing in it is
/// lost; an operator moves it back with the RabbitMQ management UI's shovel once the cause is fixed.
/// </summary>
public sealed class DeadLetterMonitor : BackgroundService
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(5);

    private readonly RabbitMqBroker broker;
    private readonly WorkerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<DeadLetterMonitor> logger;
    private long depth = -1;

    public DeadLetterMonitor(IConfiguration configuration, IOptions<WorkerOptions> options, TimeProvider time, IMeterFactory meters, ILogger<DeadLetterMonitor> logger)
    {
        broker = RabbitMqBroker.From(configuration);
        (this.options, this.time, this.logger) = (options.Value, time, logger);
        meters.Create(Telemetry.MeterName).CreateObservableGauge(
            "metering.usage.dead_letters", () => Math.Max(depth, 0), "{message}", "Usage messages RabbitMQ dead-lettered after the delivery limit: kept, waiting for an operator");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await broker.ConnectAsync("metering-worker-dead-letters", null, stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                var name = options.DeadLetterQueue;
                await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, cancellationToken: stoppingToken);
                await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false,
                    arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: stoppingToken);
                await channel.QueueBindAsync(name, name, string.Empty, cancellationToken: stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    var now = (long)await channel.MessageCountAsync(name, stoppingToken);
                    if (now > depth && depth >= 0)
                    {
                        logger.LogError("{Count} usage messages were dead-lettered after {Limit} deliveries; {Depth} wait in {Queue}", now - depth, options.DeliveryLimit, now, name);
                    }

                    depth = now;
                    await Task.Delay(LookEvery, time, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Cannot watch the dead-letter queue ({Error}); retrying", e.Message);
                await Task.Delay(LookEvery, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
