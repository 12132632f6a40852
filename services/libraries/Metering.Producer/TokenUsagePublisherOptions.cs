using Metering.Contracts;
using RabbitMQ.Client;

namespace Metering.Producer;

public sealed class TokenUsagePublisherOptions
{
    /// <summary>The broker, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    public Uri Uri { get; set; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>
    /// The other nodes of a RabbitMQ cluster (<c>AmqpTcpEndpoint.Parse("host:port")</c>): a publish whose node dies is
    /// retried on a surviving one, with the credentials and virtual host of <see cref="Uri"/>.
    /// </summary>
    public IList<AmqpTcpEndpoint> Nodes { get; } = [];

    public string Exchange { get; set; } = Exchanges.TokenUsage;

    /// <summary>Events per message when publishing one at a time: 1 (no batching) to 1,000.</summary>
    public int BatchSize { get; set; } = 1;

    /// <summary>How long an event may wait for its batch to fill.</summary>
    public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long to keep retrying a publish while the broker is unreachable or refuses it, before failing.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The connection name shown in the RabbitMQ management UI.</summary>
    public string ClientName { get; set; } = "metering-producer";
}
