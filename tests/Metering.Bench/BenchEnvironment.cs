using Metering.Testing;

namespace Metering.Bench;

/// <summary>A database and a vhost of the bench's own, on the servers <c>infra/lib/servers.sh</c> provides.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> owned = [];

    private BenchEnvironment(TestDatabase database, TestVhost vhost, IReadOnlyList<string> otherNodes)
    {
        Database = database;
        Vhost = vhost;
        OtherNodes = otherNodes;
    }

    /// <summary>The other nodes of the RabbitMQ cluster the vhost is on; empty on one node.</summary>
    public IReadOnlyList<string> OtherNodes { get; }

    public TestDatabase Database { get; }

    public TestVhost Vhost { get; }

    public static async Task<BenchEnvironment> CreateAsync()
    {
        var servers = await Servers.GetAsync();
        return new BenchEnvironment(await servers.CreateDatabaseAsync(), await servers.CreateVhostAsync(), []);
    }

    /// <summary>A database of its own and a vhost on the three-node cluster of <c>infra/lib/cluster.sh</c>.</summary>
    public static async Task<BenchEnvironment> OnClusterAsync()
    {
        var cluster = await Servers.ClusterAsync()
            ?? throw new InvalidOperationException("METERING_CLUSTER_AMQP and METERING_CLUSTER_MANAGEMENT are not set (infra/bench.sh scaling --cluster sets them)");
        return new BenchEnvironment(await (await Servers.GetAsync()).CreateDatabaseAsync(), await cluster.CreateVhostAsync(), cluster.OtherNodes);
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings(params (string Key, string Value)[] extra) =>
        new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ledger"] = Database.ConnectionString,
            ["RabbitMq:Uri"] = Vhost.Uri.ToString(),
            ["RabbitMq:Nodes"] = string.Join(',', OtherNodes),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Logging:Format"] = "text",
        }.Concat(extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));

    public ServiceProcess Start(string service, params (string Key, string Value)[] settings)
    {
        var process = ServiceProcess.Start(service, Settings(settings));
        owned.Add(process);
        return process;
    }

    /// <summary>Events committed to the ledger so far, from the cycle totals (cheap to read while loading).</summary>
    public Task<long> CommittedAsync() => Database.ScalarAsync<long>("SELECT coalesce(sum(events), 0) FROM cycle_states");

    public async ValueTask DisposeAsync()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }

        await Vhost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
