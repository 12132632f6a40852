using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;
using Metering.Throttling;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Metering.IntegrationTests;

/// <summary>
/// Crash-level faults on the three-node RabbitMQ cluster of <c>infra/lib/cluster.sh</c> (SPEC §16), which infra/test.sh
/// starts and names in <c>METERING_CLUSTER_AMQP</c>, <c>METERING_CLUSTER_MANAGEMENT</c> and <c>METERING_CLUSTER_CTL</c>.
/// A node is killed with SIGKILL, not stopped: no connection is closed cleanly, no queue handed over.
/// </summary>
[Trait("Category", "Disruptive")]
[Collection(DisruptiveCollection.Name)]
public sealed class ClusterTests : MeteringTest
{
    private static readonly string? ClusterControl = System.Environment.GetEnvironmentVariable("METERING_CLUSTER_CTL");

    [SkippableFact]
    public async Task The_usage_queue_leader_killed_mid_stream_loses_nothing_and_bills_nothing_twice()
    {
        var cluster = await Servers.ClusterAsync();
        Skip.If(cluster is null || ClusterControl is null, "METERING_CLUSTER_AMQP, _MANAGEMENT and _CTL are not set: run infra/lib/cluster.sh start (infra/test.sh does)");
        await using var vhost = await cluster!.CreateVhostAsync();
        var nodes = string.Join(',', cluster.OtherNodes);
        var stream = Usage.MixedStream(Scale.Of(5_000, 50_000), "cluster", maxPrompt: 3_000);
        var worker = Environment.StartWorkerProcess(("RabbitMq:Uri", vhost.Uri.ToString()), ("RabbitMq:Nodes", nodes));
        await vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);

        // Two producers confirming and retrying, each told every node: a publish whose node dies goes to another.
        var publishers = Enumerable.Range(0, 2).Select(_ =>
        {
            var options = new TokenUsagePublisherOptions { Uri = vhost.Uri, RetryFor = TimeSpan.FromMinutes(5) };
            foreach (var node in cluster.OtherNodes)
            {
                options.Nodes.Add(AmqpTcpEndpoint.Parse(node));
            }

            return new RabbitMqTokenUsagePublisher(options);
        }).ToList();
        var halves = stream.Chunk((stream.Count + 1) / 2).ToList();
        var publishing = Task.WhenAll(halves.Select((half, i) => Task.Run(async () =>
        {
            foreach (var chunk in half.Chunk(10))
            {
                await publishers[i].PublishBatchAsync(chunk);
            }
        })));

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= stream.Count / 10, "a tenth of the events before the crash", Scale.Timeout);
        var leader = await LeaderAsync(cluster, vhost.Name);
        await ControlAsync("kill", leader);
        try
        {
            await publishing;
            await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        }
        finally
        {
            await ControlAsync("start-node", leader);
            foreach (var publisher in publishers)
            {
                await publisher.DisposeAsync();
            }
        }

        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
        Assert.NotEqual(leader, await LeaderAsync(cluster, vhost.Name));
    }

    [SkippableFact]
    public async Task A_throttle_listener_whose_node_is_killed_catches_up_and_follows_commands_through_a_surviving_node()
    {
        var cluster = await Servers.ClusterAsync();
        Skip.If(cluster is null || ClusterControl is null, "METERING_CLUSTER_AMQP, _MANAGEMENT and _CTL are not set: run infra/lib/cluster.sh start (infra/test.sh does)");
        await using var vhost = await cluster!.CreateVhostAsync();
        var api = new ThrottlesApi();
        var services = new ServiceCollection().AddLogging();
        services.AddMeteringThrottling(options =>
        {
            options.RabbitMq = vhost.Uri;
            options.Api = new Uri("http://localhost/");
            foreach (var node in cluster.OtherNodes)
            {
                options.Nodes.Add(AmqpTcpEndpoint.Parse(node));
            }
        });
        services.AddHttpClient(nameof(ThrottleListener)).ConfigurePrimaryHttpMessageHandler(() => api);
        await using var provider = services.BuildServiceProvider();
        var book = provider.GetRequiredService<ThrottleBook>();
        var listener = provider.GetRequiredService<ThrottleListener>();
        await listener.StartAsync(CancellationToken.None);
        await listener.Ready;
        long? Sequence() => book.For("failover")?.Sequence;

        // RabbitMQ.Client tries the nodes in a random order: ask the broker which one the listener is on.
        var (node, port) = await ListenerNodeAsync(cluster, vhost.Name);
        var survivors = new[] { vhost.Uri.Port }.Concat(cluster.OtherNodes.Select(n => AmqpTcpEndpoint.Parse(n).Port)).Where(p => p != port)
            .Select(p => new AmqpTcpEndpoint(vhost.Uri.Host, p)).ToList();
        await PublishAsync(vhost.Uri, survivors, Throttle(1, ThrottleLevel.Warn));
        await Eventually.Until(() => Task.FromResult(Sequence()), s => s == 1, "the command published before the crash");

        // Published while the listener is away: only its bootstrap after reconnecting can bring it.
        api.Commands = [Throttle(2, ThrottleLevel.Slowdown)];
        await ControlAsync("kill", node);
        try
        {
            await Eventually.Until(() => Task.FromResult(Sequence()), s => s == 2, "the missed command, from the bootstrap after reconnecting");
            await PublishAsync(vhost.Uri, survivors, Throttle(3, ThrottleLevel.Block));
            await Eventually.Until(() => Task.FromResult(Sequence()), s => s == 3, "the command published after the crash, through a surviving node");
            Assert.Equal(ThrottleLevel.Block, book.For("failover")!.Level);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
            await ControlAsync("start-node", node);
        }
    }

    private static ThrottleCommand Throttle(long sequence, ThrottleLevel level) => new()
    {
        CommandId = Guid.NewGuid(),
        TenantId = "failover",
        Cycle = "2026-11",
        Level = level,
        RequestRateFactor = level switch { ThrottleLevel.Block => 0m, ThrottleLevel.Slowdown => 0.5m, _ => 1m },
        Reason = "cluster failover test",
        SpendToDate = "1",
        ProjectedSpend = "2",
        Budget = "1",
        Sequence = sequence,
        IssuedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
    };

    /// <summary>A throttle command as the budget saga publishes it: raw JSON on <c>metering.throttle</c>, confirmed.</summary>
    private static async Task PublishAsync(Uri vhost, IList<AmqpTcpEndpoint> nodes, ThrottleCommand command)
    {
        await using var connection = await new ConnectionFactory { Uri = vhost }.CreateConnectionAsync(nodes);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.ExchangeDeclareAsync(Exchanges.Throttle, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.BasicPublishAsync(Exchanges.Throttle, string.Empty, JsonSerializer.SerializeToUtf8Bytes(command, MeteringJson.Options));
    }

    /// <summary>The number of the node (metering-N@host) the throttle listener of the vhost is connected to, and its AMQP port.</summary>
    private static async Task<(string Node, int Port)> ListenerNodeAsync(Servers cluster, string vhost)
    {
        using var http = cluster.ManagementClient();
        var connections = await Eventually.Until(
            async () => JsonDocument.Parse(await http.GetStringAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}/connections")).RootElement.EnumerateArray()
                .Where(c => c.TryGetProperty("client_properties", out var client) && client.TryGetProperty("connection_name", out var name) && name.GetString() == "metering-throttling-client")
                .ToList(),
            c => c.Count == 1,
            "the throttle listener's connection in the management API");
        var node = connections[0].GetProperty("node").GetString()!;
        return (node["metering-".Length..node.IndexOf('@', StringComparison.Ordinal)], connections[0].GetProperty("port").GetInt32());
    }

    /// <summary>The number of the node that leads the usage queue (metering-N@host).</summary>
    private static async Task<string> LeaderAsync(Servers cluster, string vhost)
    {
        using var http = cluster.ManagementClient();
        var queue = await Eventually.Until(
            async () => JsonDocument.Parse(await http.GetStringAsync($"api/queues/{Uri.EscapeDataString(vhost)}/metering.usage")).RootElement,
            q => q.TryGetProperty("leader", out var l) && l.ValueKind == JsonValueKind.String,
            "the usage queue's leader");
        var node = queue.GetProperty("leader").GetString()!;
        return node["metering-".Length..node.IndexOf('@', StringComparison.Ordinal)];
    }

    private static async Task ControlAsync(string action, string node)
    {
        using var process = Process.Start(new ProcessStartInfo(ClusterControl!, [action, node]) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{ClusterControl} {action} {node} failed: {error}");
    }

    /// <summary><c>GET /v1/throttles</c> of the ledger API, serving whatever the test says the newest commands are.</summary>
    private sealed class ThrottlesApi : HttpMessageHandler
    {
        public IReadOnlyList<ThrottleCommand> Commands { get; set; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = JsonContent.Create(Commands, options: MeteringJson.Options) });
    }
}
