using System.Text.Json;
using Metering.Contracts;
using Metering.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Metering.IntegrationTests.Harness;

/// <summary>
/// One test's world: its own database and vhost on the run's real servers, the services started against them, and
/// ways to publish and to look at the ledger.
/// </summary>
public sealed class MeteringEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> owned = [];

    private MeteringEnvironment(Servers servers, TestDatabase database, TestVhost vhost)
    {
        Servers = servers;
        Database = database;
        Vhost = vhost;
    }

    public Servers Servers { get; }

    public TestDatabase Database { get; }

    public TestVhost Vhost { get; }

    /// <summary>The key that seals webhook secrets in this environment's services (<c>Webhooks:SecretKey</c>).</summary>
    public string WebhookKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static async Task<MeteringEnvironment> CreateAsync()
    {
        var servers = await Metering.Testing.Servers.GetAsync();
        return new MeteringEnvironment(servers, await servers.CreateDatabaseAsync(), await servers.CreateVhostAsync());
    }

    /// <summary>The settings every service of this environment runs with.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ServiceSettings() =>
    [
        new("ConnectionStrings:Ledger", Database.ConnectionString),
        new("RabbitMq:Uri", Vhost.Uri.ToString()),
        new("RabbitMq:WaitUntilStarted", "true"),
        new("Logging:Format", "text"),
        new("Serilog:MinimumLevel:Default", "Warning"),
        new("Webhooks:SecretKey", WebhookKey),
    ];

    /// <summary>The metering consumer in this process.</summary>
    public ServiceInstance<Metering.Worker.WorkerOptions> StartWorker(TimeProvider? clock = null, params (string Key, string Value)[] settings) =>
        Start<Metering.Worker.WorkerOptions>(clock, settings);

    /// <summary>The budget saga in this process.</summary>
    public ServiceInstance<Metering.Budget.BudgetOptions> StartBudget(TimeProvider? clock = null, params (string Key, string Value)[] settings) =>
        Start<Metering.Budget.BudgetOptions>(clock, settings);

    private ServiceInstance<TEntryPoint> Start<TEntryPoint>(TimeProvider? clock, (string Key, string Value)[] settings)
        where TEntryPoint : class
    {
        var service = new ServiceInstance<TEntryPoint>(this, clock, settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Start();
        owned.Add(service);
        return service;
    }

    public ApiInstance StartApi(TimeProvider? clock = null)
    {
        var api = new ApiInstance(this, clock);
        owned.Add(api);
        return api;
    }

    /// <summary>The consumer as a process of its own, which a test may kill; whatever is left running is killed with the environment.</summary>
    public ServiceProcess StartWorkerProcess(params (string Key, string Value)[] settings)
    {
        var process = ServiceProcess.Start("Metering.Worker", ServiceSettings().Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        owned.Add(process);
        return process;
    }

    /// <summary>The API as a process of its own, for a test that reads its process-wide metrics.</summary>
    public ServiceProcess StartApiProcess(params (string Key, string Value)[] settings)
    {
        var process = ServiceProcess.Start("Metering.Api", ServiceSettings().Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        owned.Add(process);
        return process;
    }

    /// <summary>The budget saga as a process of its own, which a test may kill.</summary>
    public ServiceProcess StartBudgetProcess(params (string Key, string Value)[] settings)
    {
        var process = ServiceProcess.Start("Metering.Budget", ServiceSettings().Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        owned.Add(process);
        return process;
    }

    public async Task<RawPublisher> RawPublisherAsync()
    {
        var publisher = await RawPublisher.ConnectAsync(Vhost.Uri);
        owned.Add(publisher);
        return publisher;
    }

    /// <summary>An API key of <paramref name="role"/> (for <paramref name="tenant"/>), made as an operator would: <c>metering keys create</c>.</summary>
    public async Task<string> CreateKeyAsync(string role, string? tenant = null)
    {
        string[] args = tenant is null
            ? ["keys", "create", "--role", role, "--connection", Database.ConnectionString]
            : ["keys", "create", "--role", role, "--tenant", tenant, "--connection", Database.ConnectionString];
        var (exit, output, error) = await MeteringCli.RunAsync("", args);
        Assert.True(exit == 0, error);
        return output.Trim();
    }

    /// <summary>A clock for the consumer, starting at <paramref name="now"/>, moved only by the test.</summary>
    public static FakeTimeProvider ClockAt(DateTimeOffset now) => new(now) { AutoAdvanceAmount = TimeSpan.Zero };

    public Task<long> LedgerCountAsync() => Database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries");

    public Task<long> RejectedCountAsync() => Database.ScalarAsync<long>("SELECT count(*) FROM rejected_events");

    /// <summary>Waits until the ledger holds <paramref name="entries"/> entries and the rejected-events table <paramref name="rejected"/> rows.</summary>
    public async Task WaitForAsync(long entries, long rejected = 0, TimeSpan? timeout = null)
    {
        await Eventually.Until(
            async () => (Entries: await LedgerCountAsync(), Rejected: await RejectedCountAsync()),
            seen => seen.Entries >= entries && seen.Rejected >= rejected,
            $"{entries} ledger entries and {rejected} rejected events",
            timeout);
    }

    /// <summary>eventId → cost of every ledger entry.</summary>
    public async Task<Dictionary<string, decimal>> CostsByEventAsync(string? tenantId = null) =>
        (await Database.QueryAsync(
            "SELECT tenant_id, event_id, cost FROM ledger_entries",
            r => (Tenant: r.GetString(0), Event: r.GetString(1), Cost: r.GetDecimal(2))))
        .Where(e => tenantId is null || e.Tenant == tenantId)
        .ToDictionary(e => tenantId is null ? $"{e.Tenant}/{e.Event}" : e.Event, e => e.Cost);

    /// <summary>
    /// The end of every reliability scenario: each unique event of <paramref name="stream"/> is in the ledger exactly
    /// once, nothing else is, and the totals (ledger, cycle totals, rollups) equal the offline pricer's for the stream.
    /// </summary>
    public async Task AssertBilledExactlyOnceAsync(IReadOnlyCollection<TokenUsage> stream)
    {
        var unique = stream.DistinctBy(u => (u.TenantId, u.EventId)).ToList();
        Assert.Equal(unique.Count, await LedgerCountAsync());
        Assert.Equal(unique.Count, await Database.ScalarAsync<long>("SELECT count(DISTINCT (tenant_id, event_id)) FROM ledger_entries"));
        Assert.Equal(unique.Count, await Database.ScalarAsync<long>("SELECT coalesce(sum(events), 0) FROM cycle_states"));
        var summary = Assert.Single(await MeteringCli.PriceAsync(JsonLines(unique), "--summary"));
        var offline = decimal.Parse((string)summary["totalCost"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(offline, await Database.ScalarAsync<decimal>("SELECT coalesce(sum(cost), 0) FROM ledger_entries"));
        Assert.Equal(offline, await Database.ScalarAsync<decimal>("SELECT coalesce(sum(cost), 0) FROM cycle_states"));
        Assert.Equal(offline, await Database.ScalarAsync<decimal>("SELECT coalesce(sum(amount), 0) FROM cycle_rollups"));
    }

    public static string Json(TokenUsage usage) => JsonSerializer.Serialize(usage, MeteringJson.Options);

    public static string JsonLines(IEnumerable<TokenUsage> usages) => string.Concat(usages.Select(u => Json(u) + "\n"));

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
