using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

namespace Metering.Hosting;

/// <summary>
/// Where RabbitMQ is: <c>RabbitMq:Uri</c> (credentials, virtual host and the first node) and, for a cluster,
/// <c>RabbitMq:Nodes</c>, the other nodes as <c>host:port</c> separated by commas (SPEC §16). Every connection of
/// every service is made through here, so a node that dies is left for a surviving one: MassTransit's cluster
/// configuration for the bus, and RabbitMQ.Client's endpoint list for the raw publishers and the dead-letter watch.
/// </summary>
public sealed record RabbitMqBroker(Uri Uri, IReadOnlyList<AmqpTcpEndpoint> Nodes)
{
    public const string NodesSetting = "RabbitMq:Nodes";
    private const string Example = "amqp://guest:guest@127.0.0.1:5672/";

    public static RabbitMqBroker From(IConfiguration configuration)
    {
        var uri = configuration.RequiredUri(Settings.RabbitMqUri, Example);
        var first = new AmqpTcpEndpoint(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? AmqpTcpEndpoint.UseDefaultPort : uri.Port);
        var others = (configuration[NodesSetting] ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Node);
        return new RabbitMqBroker(uri, [first, .. others]);
    }

    /// <summary>A connection to the first node that answers, in RabbitMQ.Client's order.</summary>
    public Task<IConnection> ConnectAsync(string clientName, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = Uri, ClientProvidedName = clientName };
        if (timeout is { } connectWithin)
        {
            factory.RequestedConnectionTimeout = connectWithin;
        }

        return factory.CreateConnectionAsync(Nodes, cancellationToken);
    }

    /// <summary>The bus's host: the URI, and every node as a cluster member when there is more than one.</summary>
    public void Configure(IRabbitMqBusFactoryConfigurator rabbit) => rabbit.Host(Uri, host =>
    {
        if (Nodes.Count > 1)
        {
            host.UseCluster(cluster =>
            {
                foreach (var node in Nodes)
                {
                    cluster.Node(string.Create(CultureInfo.InvariantCulture, $"{node.HostName}:{(node.Port > 0 ? node.Port : 5672)}"));
                }
            });
        }
    });

    private static AmqpTcpEndpoint Node(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? AmqpTcpEndpoint.Parse(text)
            : throw new InvalidOperationException($"The setting {NodesSetting} must list RabbitMQ nodes as host:port separated by commas, like 127.0.0.1:5702,127.0.0.1:5703; got '{text}'");
    }
}
