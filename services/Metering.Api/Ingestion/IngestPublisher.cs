using Metering.Contracts;
using Metering.Hosting;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Metering.Api.Ingestion;

/// <summary>
/// Hands accepted bodies to RabbitMQ and returns only once the broker has confirmed them: a <c>202</c> of the
/// ingestion endpoints is that confirm. Publishes are <c>mandatory</c>, so a body the exchange cannot route to a queue
/// (the worker's queue not declared yet) is a failure, not a silent drop. Nothing is retried here: when the broker is
/// down, slow or refusing, the caller is told at once (<see cref="BrokerUnavailableException"/>, a <c>503</c>) and
/// retries; a publish that timed out but did reach the queue makes the retry a duplicate, which is billed once.
/// </summary>
public sealed class IngestPublisher(IConfiguration configuration, IOptions<IngestOptions> options, TimeProvider time, ILogger<IngestPublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly RabbitMqBroker broker = RabbitMqBroker.From(configuration);
    private IConnection? connection;
    private IChannel? channel;

    /// <summary>Publishes one raw JSON body (one event or an array of up to 1,000) and waits for the broker's confirm.</summary>
    public async Task PublishAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
            Timestamp = new AmqpTimestamp(time.GetUtcNow().ToUnixTimeSeconds()),
            AppId = "metering-api",
        };

        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(options.Value.ConfirmTimeout);
        try
        {
            var publishing = await ChannelAsync(giveUp.Token);
            await publishing.BasicPublishAsync(Exchanges.TokenUsage, string.Empty, mandatory: true, properties, body, giveUp.Token);
        }
        catch (PublishReturnException e)
        {
            throw new BrokerUnavailableException($"RabbitMQ could not route the events to a queue ({e.ReplyText}): is the metering worker's queue declared?", e);
        }
        catch (OperationCanceledException e) when (giveUp.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BrokerUnavailableException($"RabbitMQ did not confirm the events within {options.Value.ConfirmTimeout.TotalSeconds:0.#} s", e);
        }
        catch (Exception e) when (e is AlreadyClosedException or BrokerUnreachableException or PublishException or OperationInterruptedException or IOException)
        {
            logger.LogWarning("Ingestion could not publish to RabbitMQ: {Error}", e.Message);
            await ResetAsync();
            throw new BrokerUnavailableException($"RabbitMQ is not accepting events: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (channel is not null)
        {
            await channel.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        connecting.Dispose();
    }

    /// <summary>One channel with confirm tracking, shared by every request: RabbitMQ.Client pipelines concurrent publishes on it.</summary>
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

                connection = await broker.ConnectAsync("metering-api-ingest", options.Value.ConfirmTimeout, cancellationToken);
            }

            channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            await channel.ExchangeDeclareAsync(Exchanges.TokenUsage, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            return channel;
        }
        finally
        {
            connecting.Release();
        }
    }

    private async Task ResetAsync()
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
}
