using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Metering.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Metering.Throttling;

/// <summary>
/// Follows <c>metering.throttle</c> through a queue of this process's own (server-named, exclusive, auto-delete: every
/// instance sees every command), and bootstraps from <c>GET /v1/throttles</c> once subscribed, so no command is missed
/// in between. When the connection or channel is lost (its node died, say) it starts over on the first of
/// <see cref="ThrottlingOptions.Endpoints"/> that answers: a new queue and binding, then a new bootstrap, which brings
/// the commands published while it was away. The book keeps the newest command per tenant whatever the order.
/// </summary>
public sealed class ThrottleListener(ThrottleBook book, ThrottlingOptions options, IHttpClientFactory http, ILogger<ThrottleListener> logger)
    : BackgroundService
{
    private IConnection? connection;

    /// <summary>Completes once first subscribed and bootstrapped (or after the first failure to); stays completed while reconnecting.</summary>
    public Task Ready => ready.Task;

    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var channel = await SubscribeAsync(stoppingToken);
                await BootstrapAsync(stoppingToken);
                ready.TrySetResult();
                delay = TimeSpan.FromSeconds(1);
                var reason = await LostAsync(channel).WaitAsync(stoppingToken);
                throw new IOException($"the connection to {connection?.Endpoint} was lost: {reason.ReplyText}");
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Following throttle commands failed ({Error}); retrying in {Delay} s", e.Message, delay.TotalSeconds);
                ready.TrySetResult();
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }

                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Completes when the channel shuts down, by itself or with its connection. RabbitMQ.Client's own recovery is off:
    /// it would bring the queue back but not the bootstrap, so the commands published meanwhile would be missed.
    /// </summary>
    private static Task<ShutdownEventArgs> LostAsync(IChannel channel)
    {
        var lost = new TaskCompletionSource<ShutdownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, reason) =>
        {
            lost.TrySetResult(reason);
            return Task.CompletedTask;
        };
        if (channel.CloseReason is { } closed)
        {
            lost.TrySetResult(closed);
        }

        return lost.Task;
    }

    private async Task<IChannel> SubscribeAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = options.RabbitMq, ClientProvidedName = "metering-throttling-client", AutomaticRecoveryEnabled = false };
        connection = await factory.CreateConnectionAsync(options.Endpoints, cancellationToken);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(Exchanges.Throttle, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue.QueueName, Exchanges.Throttle, string.Empty, cancellationToken: cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            try
            {
                if (JsonSerializer.Deserialize<ThrottleCommand>(delivery.Body.Span, MeteringJson.Options) is { } command && book.Apply(command))
                {
                    logger.LogInformation(
                        "Throttle {Level} for {TenantId} {Scope} (sequence {Sequence})", command.Level, command.TenantId, (command.Scope ?? BudgetScope.Tenant).ToString(), command.Sequence);
                }
            }
            catch (JsonException e)
            {
                logger.LogWarning("Ignored a throttle message that is not a command: {Error}", e.Message);
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);
        logger.LogInformation("Following throttle commands on {Node}", connection.Endpoint.ToString());
        return channel;
    }

    private async Task BootstrapAsync(CancellationToken cancellationToken)
    {
        if (options.Api is null)
        {
            return;
        }

        using var client = http.CreateClient(nameof(ThrottleListener));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Api, "v1/throttles"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var commands = await response.Content.ReadFromJsonAsync<List<ThrottleCommand>>(MeteringJson.Options, cancellationToken) ?? [];
        var kept = commands.Count(book.Apply);
        logger.LogInformation("Bootstrapped {Kept} of {Count} throttle commands from the ledger API", kept, commands.Count);
    }
}
