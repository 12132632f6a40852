using RabbitMQ.Client;

namespace Metering.Testing;

/// <summary>
/// A producer that knows nothing of Metering or MassTransit: plain RabbitMQ.Client, a body of bytes, publisher
/// confirms. What any AMQP client in any language does.
/// </summary>
public sealed class RawPublisher : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;

    private RawPublisher(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public static async Task<RawPublisher> ConnectAsync(Uri vhost)
    {
        var connection = await new ConnectionFactory { Uri = vhost, ClientProvidedName = "raw-test-producer" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.ExchangeDeclareAsync("metering.token-usage", ExchangeType.Fanout, durable: true, autoDelete: false);
        return new RawPublisher(connection, channel);
    }

    public async Task PublishAsync(ReadOnlyMemory<byte> body, string? contentType = "application/json")
    {
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync("metering.token-usage", string.Empty, mandatory: false, properties, body);
    }

    public Task PublishAsync(string body, string? contentType = "application/json") =>
        PublishAsync(System.Text.Encoding.UTF8.GetBytes(body), contentType);

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
