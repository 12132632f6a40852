using RabbitMQ.Client;

namespace Metering.Throttling;

/// <summary>Where the throttle commands come from, and the normal rates they scale.</summary>
public sealed class ThrottlingOptions
{
    /// <summary>The broker the budget saga publishes <c>metering.throttle</c> on: credentials, virtual host and the first node.</summary>
    public Uri RabbitMq { get; set; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>
    /// The other nodes of a RabbitMQ cluster (<c>AmqpTcpEndpoint.Parse("host:port")</c>), with the credentials and
    /// virtual host of <see cref="RabbitMq"/> (SPEC §16): when the listener's node dies it reconnects to a surviving
    /// one, subscribes again and bootstraps again. Empty: the node of <see cref="RabbitMq"/> alone.
    /// </summary>
    public IList<AmqpTcpEndpoint> Nodes { get; } = [];

    /// <summary>The nodes the listener may connect to: that of <see cref="RabbitMq"/>, then <see cref="Nodes"/>, each once.</summary>
    public IReadOnlyList<AmqpTcpEndpoint> Endpoints =>
    [
        .. new[] { new AmqpTcpEndpoint(RabbitMq.Host, RabbitMq.IsDefaultPort || RabbitMq.Port < 0 ? AmqpTcpEndpoint.UseDefaultPort : RabbitMq.Port) }
            .Concat(Nodes)
            .DistinctBy(node => (node.HostName, node.Port)),
    ];

    /// <summary>The ledger API, to bootstrap from <c>GET /v1/throttles</c>; null to skip bootstrapping.</summary>
    public Uri? Api { get; set; } = new("http://127.0.0.1:5080/");

    /// <summary>An API key of the admin or billing role (or a tenant key, to follow that tenant only).</summary>
    public string? ApiKey { get; set; }

    /// <summary>A tenant's normal request rate; a command's <c>requestRateFactor</c> scales it.</summary>
    public double PermitsPerSecond { get; set; } = 10;

    /// <summary>How many requests a tenant may make at once after being idle (the bucket's size at the normal rate).</summary>
    public int Burst { get; set; } = 10;

    /// <summary>A tenant's own normal rate, when tenants differ; falls back to <see cref="PermitsPerSecond"/>.</summary>
    public Func<string, double>? PermitsPerSecondFor { get; set; }
}
