using Metering.Samples.Gateway;
using Metering.Throttling;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.Samples.Tests;

/// <summary>The gateway's throttle listener takes the cluster's nodes from <c>RabbitMq:Nodes</c>, as every service does (SPEC §16).</summary>
public sealed class GatewayBrokerTests
{
    [Fact]
    public void The_throttle_listener_is_given_the_node_of_the_uri_then_every_node_of_RabbitMq_Nodes()
    {
        var endpoints = ThrottlingOf(("RabbitMq:Nodes", "127.0.0.1:5702, 127.0.0.1:5703")).Endpoints;

        Assert.Equal(["127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"], endpoints.Select(e => $"{e.HostName}:{e.Port}"));
    }

    [Fact]
    public void Without_RabbitMq_Nodes_the_throttle_listener_has_the_node_of_the_uri_alone()
    {
        var node = Assert.Single(ThrottlingOf().Endpoints);

        Assert.Equal(("127.0.0.1", 5701), (node.HostName, node.Port));
    }

    private static ThrottlingOptions ThrottlingOf(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(
        [
            new("RabbitMq:Uri", "amqp://guest:guest@127.0.0.1:5701/"),
            new("Gateway:ApiUrl", "http://127.0.0.1:5080/"),
            .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
        ]);
        builder.AddGateway();
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<ThrottlingOptions>();
    }
}
