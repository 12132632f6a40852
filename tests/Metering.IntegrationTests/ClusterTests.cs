using System.Diagnostics;
using System.Text.Json;
using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;
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
}
