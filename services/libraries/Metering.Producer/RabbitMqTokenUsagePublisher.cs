using System.Text.Json;
using System.Threading.Channels;
using Metering.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Metering.Producer;

/// <summary>
/// Publishes persistent raw-JSON messages to the fanout exchange with publisher confirms, retrying through broker
/// restarts. A retried publish may deliver an event twice; Metering bills each (tenantId, eventId) once.
/// </summary>
public sealed class RabbitMqTokenUsagePublisher : ITokenUsagePublisher
{
    public const int MaxEventsPerMessage = 1_000;

    private readonly TokenUsagePublisherOptions options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly Channel<Pending>? pending;
    private readonly Task? batching;
    private readonly CancellationTokenSource stopping = new();
    private IConnection? connection;
    private IChannel? channel;

    public RabbitMqTokenUsagePublisher(TokenUsagePublisherOptions options, ILogger<RabbitMqTokenUsagePublisher>? logger = null)
    {
        if (options.BatchSize is < 1 or > MaxEventsPerMessage)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"BatchSize must be between 1 and {MaxEventsPerMessage}");
        }

        this.options = options;
        this.logger = logger ?? NullLogger<RabbitMqTokenUsagePublisher>.Instance;
        if (options.BatchSize > 1)
        {
            pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.BatchSize * 16) { SingleReader = true });
            batching = Task.Run(() => BatchLoopAsync(stopping.Token));
        }
    }

    public async Task PublishAsync(TokenUsage usage, CancellationToken cancellationToken = default)
    {
        if (pending is null)
        {
            await PublishBodyAsync(JsonSerializer.SerializeToUtf8Bytes(usage, MeteringJson.Options), cancellationToken);
            return;
        }

        var item = new Pending(usage);
        await pending.Writer.WriteAsync(item, cancellationToken);
        await item.Confirmed.Task.WaitAsync(cancellationToken);
    }

    public async Task PublishBatchAsync(IReadOnlyList<TokenUsage> usages, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in usages.Chunk(MaxEventsPerMessage))
        {
            await PublishBodyAsync(JsonSerializer.SerializeToUtf8Bytes(chunk, MeteringJson.Options), cancellationToken);
        }
    }

    public Task PublishResponseAsync(ProviderResponse response, CancellationToken cancellationToken = default) =>
        PublishBodyAsync(JsonSerializer.SerializeToUtf8Bytes(response, MeteringJson.Options), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (pending is not null)
        {
            pending.Writer.TryComplete();
            await batching!;
        }

        await stopping.CancelAsync();
        if (channel is not null)
        {
            await channel.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        connecting.Dispose();
        stopping.Dispose();
    }

    private async Task BatchLoopAsync(CancellationToken cancellationToken)
    {
        var reader = pending!.Reader;
        var batch = new List<Pending>(options.BatchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            using var linger = new CancellationTokenSource(options.BatchLinger);
            try
            {
                while (batch.Count < options.BatchSize)
                {
                    if (reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }
                    else if (!await reader.WaitToReadAsync(linger.Token))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (linger.IsCancellationRequested)
            {
                // the batch has waited long enough
            }

            try
            {
                await PublishBodyAsync(JsonSerializer.SerializeToUtf8Bytes(batch.Select(p => p.Usage), MeteringJson.Options), cancellationToken);
                batch.ForEach(p => p.Confirmed.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Confirmed.TrySetException(e));
            }

            batch.Clear();
        }
    }

    private async Task PublishBodyAsync(byte[] body, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = Guid.NewGuid().ToString(),
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        };

        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(options.RetryFor);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var publishing = await ChannelAsync(giveUp.Token);
                await publishing.BasicPublishAsync(options.Exchange, string.Empty, mandatory: false, properties, body, giveUp.Token);
                return;
            }
            catch (Exception e) when (e is AlreadyClosedException or BrokerUnreachableException or PublishException or OperationInterruptedException or IOException
                                      && !giveUp.IsCancellationRequested)
            {
                logger.LogWarning("Publishing usage failed ({Error}); retrying in {Delay} ms", e.Message, delay.TotalMilliseconds);
                await ResetChannelAsync();
                await Task.Delay(delay, giveUp.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (channel is { IsOpen: true } open)
        {
            return open;
        }

        await connecting.WaitAsync(cancellationToken);
        try
        {
            if (channel is { IsOpen: true } reopened)
            {
                return reopened;
            }

            if (connection is not { IsOpen: true })
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                var factory = new ConnectionFactory { Uri = options.Uri, ClientProvidedName = options.ClientName };
                connection = await factory.CreateConnectionAsync(Endpoints(), cancellationToken);
            }

            channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            await channel.ExchangeDeclareAsync(options.Exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            return channel;
        }
        finally
        {
            connecting.Release();
        }
    }

    /// <summary>The node of <see cref="TokenUsagePublisherOptions.Uri"/> first, then the cluster's other nodes.</summary>
    private List<AmqpTcpEndpoint> Endpoints()
    {
        var uri = options.Uri;
        return [new(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? AmqpTcpEndpoint.UseDefaultPort : uri.Port), .. options.Nodes];
    }

    private async Task ResetChannelAsync()
    {
        await connecting.WaitAsync();
        try
        {
            if (channel is { IsOpen: false })
            {
                await channel.DisposeAsync();
                channel = null;
            }
        }
        finally
        {
            connecting.Release();
        }
    }

    private sealed record Pending(TokenUsage Usage)
    {
        public TaskCompletionSource Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
