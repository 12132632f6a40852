using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Metering.IntegrationTests.Harness;

/// <summary>
/// A rate limiter in another language would do this: plain AMQP, a queue of its own bound to <c>metering.throttle</c>,
/// raw JSON bodies. Nothing of Metering's code is used to read them.
/// </summary>
public sealed class ThrottleTap : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;

    private ThrottleTap(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public ConcurrentQueue<(string? MessageId, JsonObject Body)> Received { get; } = new();

    public static async Task<ThrottleTap> StartAsync(Uri vhost)
    {
        var connection = await new ConnectionFactory { Uri = vhost }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("metering.throttle", ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, "metering.throttle", string.Empty);
        var tap = new ThrottleTap(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            tap.Received.Enqueue((delivery.BasicProperties.MessageId, JsonNode.Parse(delivery.Body.Span)!.AsObject()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return tap;
    }

    public IReadOnlyList<string> Levels => [.. Received.Select(r => (string)r.Body["level"]!)];

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
