using RabbitMQ.Client;

namespace Metering.Bench;

/// <summary>Publishes prepared bodies as fast as the broker confirms them, with a bounded number in flight.</summary>
internal sealed class LoadPublisher : IAsyncDisposable
{
    private const int InFlight = 4_000;

    private readonly IConnection connection;
    private readonly IChannel channel;

    private LoadPublisher(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public static async Task<LoadPublisher> ConnectAsync(Uri vhost)
    {
        var connection = await new ConnectionFactory { Uri = vhost, ClientProvidedName = "bench-publisher" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.ExchangeDeclareAsync("metering.token-usage", ExchangeType.Fanout, durable: true, autoDelete: false);
        return new LoadPublisher(connection, channel);
    }

    public async Task PublishAsync(IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken = default)
    {
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        using var slots = new SemaphoreSlim(InFlight);
        var pending = new List<Task>(bodies.Count);
        foreach (var body in bodies)
        {
            await slots.WaitAsync(cancellationToken);
            pending.Add(PublishOneAsync(body));
        }

        await Task.WhenAll(pending);

        async Task PublishOneAsync(byte[] body)
        {
            try
            {
                await channel.BasicPublishAsync("metering.token-usage", string.Empty, mandatory: false, properties, body, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
