using RabbitMQ.Client;

namespace Metering.Throttling.Tests;

public sealed class ThrottlingOptionsTests
{
    [Fact]
    public void Without_nodes_the_listener_connects_to_the_node_of_the_uri_alone()
    {
        var options = new ThrottlingOptions { RabbitMq = new Uri("amqp://guest:guest@rabbit-1:5701/metering") };

        var node = Assert.Single(options.Endpoints);
        Assert.Equal("rabbit-1", node.HostName);
        Assert.Equal(5701, node.Port);
    }

    [Fact]
    public void A_uri_without_a_port_is_the_default_amqp_port()
    {
        var options = new ThrottlingOptions { RabbitMq = new Uri("amqp://guest:guest@rabbit-1/") };

        Assert.Equal(5672, Assert.Single(options.Endpoints).Port);
    }

    [Fact]
    public void The_node_of_the_uri_comes_first_then_the_other_nodes_each_once()
    {
        var options = new ThrottlingOptions { RabbitMq = new Uri("amqp://guest:guest@127.0.0.1:5701/") };
        foreach (var node in "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703".Split(','))
        {
            options.Nodes.Add(AmqpTcpEndpoint.Parse(node));
        }

        Assert.Equal(["127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"], options.Endpoints.Select(e => $"{e.HostName}:{e.Port}"));
    }
}
