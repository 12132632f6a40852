using Metering.Testing;

namespace Metering.Bench;

/// <summary>A database and a vhost of the bench's own, on the servers <c>infra/lib/servers.sh</c> provides.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> owned = [];

    private BenchEnvironment(TestDatabase database, TestVhost vhost)
    {
        Database = database;
        Vhost = vhost;
    }

    public TestDatabase Database { get; }

    public TestVhost Vhost { get; }

    public static async Task<BenchEnvironment> CreateAsync()
    {
        var servers = await Servers.GetAsync();
        return new BenchEnvironment(await servers.CreateDatabaseAsync(), await servers.CreateVhostAsync());
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings(params (string Key, string Value)[] extra) =>
        new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ledger"] = Database.ConnectionString,
            ["RabbitMq:Uri"] = Vhost.Uri.ToString(),
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
