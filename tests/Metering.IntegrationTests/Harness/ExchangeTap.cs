using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metering.Contracts;
using Metering.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Metering.IntegrationTests.Harness;

/// <summary>
/// Listens to a fanout exchange as any downstream consumer would: plain AMQP, a queue of its own that goes away with
/// it, every delivery read by <c>read</c> into <see cref="Received"/>.
/// </summary>
public sealed class ExchangeTap<T> : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;

    private ExchangeTap(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public ConcurrentQueue<T> Received { get; } = new();

    public static async Task<ExchangeTap<T>> StartAsync(Uri vhost, string exchange, Func<BasicDeliverEventArgs, T> read)
    {
        var connection = await new ConnectionFactory { Uri = vhost }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, string.Empty);
        var tap = new ExchangeTap<T>(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            tap.Received.Enqueue(read(delivery));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}

/// <summary>
/// Throttle commands read as a rate limiter in another language would: raw JSON bodies from <c>metering.throttle</c>,
/// nothing of Metering's code used to read them.
/// </summary>
public static class ThrottleTap
{
    public static Task<ExchangeTap<(string? MessageId, JsonObject Body)>> StartAsync(Uri vhost) =>
        ExchangeTap<(string?, JsonObject)>.StartAsync(vhost, "metering.throttle", d => (d.BasicProperties.MessageId, JsonNode.Parse(d.Body.Span)!.AsObject()));

    public static IReadOnlyList<string> Levels(this ExchangeTap<(string? MessageId, JsonObject Body)> tap) =>
        [.. tap.Received.Select(r => (string)r.Body["level"]!)];

    /// <summary>Waits for as many commands as <paramref name="levels"/> names, then asserts they are exactly those, in order.</summary>
    public static async Task WaitForLevelsAsync(this ExchangeTap<(string? MessageId, JsonObject Body)> tap, params string[] levels)
    {
        var seen = await Eventually.Until(() => Task.FromResult(tap.Levels()), s => s.Count >= levels.Length, $"throttle commands {string.Join(", ", levels)}");
        Assert.Equal(levels, seen);
    }
}

/// <summary>The spend updates the consumer publishes, unwrapped from MassTransit's envelope.</summary>
public static class SpendUpdateTap
{
    public static Task<ExchangeTap<(Guid MessageId, SpendUpdated Update)>> StartAsync(Uri vhost) =>
        ExchangeTap<(Guid, SpendUpdated)>.StartAsync(vhost, Exchanges.SpendUpdated, d =>
        {
            // MassTransit's envelope: { "messageId": …, "message": { … } }
            using var envelope = JsonDocument.Parse(d.Body);
            return (envelope.RootElement.GetProperty("messageId").GetGuid(),
                envelope.RootElement.GetProperty("message").Deserialize<SpendUpdated>(MeteringJson.Options)!);
        });
}
