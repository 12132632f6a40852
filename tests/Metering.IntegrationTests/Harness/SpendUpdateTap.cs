using System.Collections.Concurrent;
using System.Text.Json;
using Metering.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Metering.IntegrationTests.Harness;

/// <summary>Listens, as any downstream consumer would, to the spend updates the consumer publishes.</summary>
public sealed class SpendUpdateTap : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;

    private SpendUpdateTap(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public ConcurrentQueue<(Guid MessageId, SpendUpdated Update)> Received { get; } = new();

    public static async Task<SpendUpdateTap> StartAsync(Uri vhost)
    {
        var connection = await new ConnectionFactory { Uri = vhost }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchanges.SpendUpdated, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, Exchanges.SpendUpdated, string.Empty);
        var tap = new SpendUpdateTap(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            // MassTransit's envelope: { "messageId": …, "message": { … } }
            using var envelope = JsonDocument.Parse(delivery.Body);
            tap.Received.Enqueue((
                envelope.RootElement.GetProperty("messageId").GetGuid(),
                envelope.RootElement.GetProperty("message").Deserialize<SpendUpdated>(MeteringJson.Options)!));
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
