using System.Net.Http.Headers;
using System.Text;
using DotNet.Testcontainers.Containers;
using Metering.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Metering.Testing;

/// <summary>
/// The PostgreSQL and RabbitMQ servers of a test run, found once per process (SPEC §11): from <c>METERING_PG</c> and
/// <c>METERING_AMQP</c> when set, else started with Testcontainers, else the run fails saying how to provide them.
/// Every test then gets its own database (a copy of a migrated template) and its own vhost.
/// </summary>
public sealed class Servers
{
    public const string PostgresVariable = "METERING_PG";
    public const string RabbitMqVariable = "METERING_AMQP";
    public const string ManagementVariable = "METERING_RABBITMQ_MANAGEMENT";

    private static readonly Lazy<Task<Servers>> Shared = new(StartAsync);
    // The process id leads, so infra/test.sh can tell a leftover of a run that is gone from the objects of one still going.
    private static readonly string RunId = $"{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";

    private readonly List<IContainer> containers;

    private Servers(string postgres, Uri rabbitMq, Uri management, List<IContainer> containers)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        Management = management;
        this.containers = containers;
    }

    /// <summary>A connection string with rights to create databases.</summary>
    public string Postgres { get; }

    /// <summary>The broker, default vhost.</summary>
    public Uri RabbitMq { get; }

    /// <summary>The management HTTP API, for creating vhosts.</summary>
    public Uri Management { get; }

    public string TemplateDatabase => $"metering_template_{RunId}";

    public static Task<Servers> GetAsync() => Shared.Value;

    /// <summary>The RabbitMQ cluster's nodes as <c>host:port</c> after the first (<see cref="RabbitMq"/>); empty for one node.</summary>
    public IReadOnlyList<string> OtherNodes { get; private init; } = [];

    /// <summary>
    /// The run's PostgreSQL with the three-node RabbitMQ cluster of <c>infra/lib/cluster.sh</c> (SPEC §16), from
    /// <c>METERING_CLUSTER_AMQP</c> (the nodes' AMQP URIs, comma-separated) and <c>METERING_CLUSTER_MANAGEMENT</c>;
    /// null when they are not set.
    /// </summary>
    public static async Task<Servers?> ClusterAsync()
    {
        var nodes = (Environment.GetEnvironmentVariable("METERING_CLUSTER_AMQP") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => new Uri(n)).ToList();
        if (nodes.Count == 0 || Environment.GetEnvironmentVariable("METERING_CLUSTER_MANAGEMENT") is not { Length: > 0 } management)
        {
            return null;
        }

        var single = await GetAsync();
        return new Servers(single.Postgres, nodes[0], new Uri(management), [])
        {
            OtherNodes = [.. nodes.Skip(1).Select(n => $"{n.Host}:{n.Port}")],
        };
    }

    /// <summary>A fresh, migrated database, dropped when disposed.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = $"metering_test_{RunId}_{Guid.NewGuid():N}"; // within PostgreSQL's 63-byte names
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateDatabase}\"");
        return new TestDatabase(this, name, new NpgsqlConnectionStringBuilder(Postgres) { Database = name, MaxAutoPrepare = 32 }.ConnectionString);
    }

    /// <summary>A fresh database without any schema (a migration test migrates it itself), dropped when disposed.</summary>
    public async Task<TestDatabase> CreateEmptyDatabaseAsync()
    {
        var name = $"metering_test_{RunId}_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new TestDatabase(this, name, new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString);
    }

    /// <summary>
    /// A database kept between runs (for a benchmark's large data set): migrated from the template when it does not
    /// exist yet, or when <paramref name="fresh"/>. Disposing it does not drop it.
    /// </summary>
    public async Task<TestDatabase> KeptDatabaseAsync(string name, bool fresh)
    {
        if (fresh)
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }

        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", connection);
            exists.Parameters.AddWithValue("name", name);
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateDatabase}\"");
            }
        }

        var connectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = name, MaxAutoPrepare = 32 }.ConnectionString;
        await MigrateAsync(connectionString); // a database kept from an older version gets the newer migrations
        return new TestDatabase(this, name, connectionString, keep: true);
    }

    /// <summary>A fresh vhost, deleted when disposed.</summary>
    public async Task<TestVhost> CreateVhostAsync()
    {
        var name = $"metering-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using var http = ManagementClient();
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(RabbitMq.UserInfo.Split(':')[0]);
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}", permissions)).EnsureSuccessStatusCode();
        return new TestVhost(this, name, new UriBuilder(RabbitMq) { Path = "/" + Uri.EscapeDataString(name) }.Uri);
    }

    public HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = Management, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(RabbitMq.UserInfo))));
        return http;
    }

    internal async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Servers> StartAsync()
    {
        var containers = new List<IContainer>();
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var rabbitMq = Environment.GetEnvironmentVariable(RabbitMqVariable);
        var management = Environment.GetEnvironmentVariable(ManagementVariable);
        try
        {
            if (string.IsNullOrWhiteSpace(postgres))
            {
                var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                await container.StartAsync();
                containers.Add(container);
                postgres = container.GetConnectionString();
            }

            if (string.IsNullOrWhiteSpace(rabbitMq))
            {
                var container = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, true).Build();
                await container.StartAsync();
                containers.Add(container);
                rabbitMq = container.GetConnectionString();
                management = $"http://{container.Hostname}:{container.GetMappedPublicPort(15672)}/";
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL or RabbitMQ for the integration tests: set {PostgresVariable} (a connection string of a role that may create databases) " +
                $"and {RabbitMqVariable} (an AMQP URI of a user that may create vhosts; the management API must answer on port 15672 or at {ManagementVariable}), " +
                "or run a Docker engine for Testcontainers. infra/test.sh sets all of this up. Testcontainers said: " + e.Message,
                e);
        }

        var rabbitUri = new Uri(rabbitMq!);
        var managementUri = new Uri(management ?? $"http://{rabbitUri.Host}:15672/");
        var servers = new Servers(postgres, rabbitUri, managementUri, containers);
        await servers.CreateTemplateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.Cleanup();
        return servers;
    }

    private async Task CreateTemplateAsync()
    {
        await ExecuteAsync($"CREATE DATABASE \"{TemplateDatabase}\"");
        await MigrateAsync(new NpgsqlConnectionStringBuilder(Postgres) { Database = TemplateDatabase, Pooling = false }.ConnectionString);
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task MigrateAsync(string connectionString)
    {
        await using var services = new ServiceCollection().AddLogging().AddLedger(connectionString).BuildServiceProvider();
        await services.GetRequiredService<LedgerMigrator>().MigrateAsync();
    }

    private void Cleanup()
    {
        try
        {
            ExecuteAsync($"DROP DATABASE IF EXISTS \"{TemplateDatabase}\" WITH (FORCE)").GetAwaiter().GetResult();
            foreach (var container in containers)
            {
                container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // the run is over; a template left behind is dropped by the next infra/test.sh
        }
    }
}

/// <summary>A database of its own for one test.</summary>
public sealed class TestDatabase(Servers servers, string name, string connectionString, bool keep = false) : IAsyncDisposable
{
    private NpgsqlDataSource? dataSource;

    public string Name => name;

    public string ConnectionString => connectionString;

    public NpgsqlDataSource DataSource => dataSource ??= LedgerDatabase.CreateDataSource(connectionString);

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? default! : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Drops pooled connections, e.g. after the server restarted under them.</summary>
    public void ResetConnections()
    {
        dataSource?.Clear();
        NpgsqlConnection.ClearAllPools();
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map)
    {
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }

        if (!keep)
        {
            try
            {
                await servers.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            }
            catch (PostgresException)
            {
                // Left for infra/test.sh, which drops leftover test databases before every run.
            }
        }
    }
}

/// <summary>A RabbitMQ vhost of its own for one test.</summary>
public sealed class TestVhost(Servers servers, string name, Uri uri) : IAsyncDisposable
{
    public string Name => name;

    /// <summary>The AMQP URI of this vhost.</summary>
    public Uri Uri => uri;

    /// <summary>
    /// Waits until the metering consumer has bound its queue to the usage exchange (a fanout exchange drops what no
    /// queue receives). MassTransit binds the exchange to an exchange named after the queue, which feeds the queue.
    /// </summary>
    public async Task WaitForConsumerAsync(string queue = "metering.usage", Func<string>? describe = null)
    {
        try
        {
            await Eventually.Until(() => IsBoundAsync(queue), bound => bound, $"queue {queue} bound in vhost {name}");
        }
        catch (TimeoutException e) when (describe is not null)
        {
            throw new TimeoutException($"{e.Message}; {describe()}", e);
        }
    }

    /// <summary>Waits until the queue holds no message, ready or unacknowledged (the management API samples every few seconds).</summary>
    public Task WaitForEmptyQueueAsync(string queue = "metering.usage") =>
        Eventually.Until(() => MessagesAsync(queue), messages => messages == 0, $"queue {queue} drained", TimeSpan.FromMinutes(5));

    /// <summary>The messages in a queue, ready or unacknowledged, as the management API last sampled them; -1 when it has no figure yet.</summary>
    public async Task<long> MessagesAsync(string queue)
    {
        using var http = servers.ManagementClient();
        using var response = await http.GetAsync($"api/queues/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
        {
            return -1;
        }

        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == System.Text.Json.JsonValueKind.Number ? messages.GetInt64() : -1;
    }

    private async Task<bool> IsBoundAsync(string queue)
    {
        using var http = servers.ManagementClient();
        using var response = await http.GetAsync($"api/exchanges/{Uri.EscapeDataString(name)}/metering.token-usage/bindings/source");
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var bindings = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return bindings.RootElement.EnumerateArray().Any(b => b.GetProperty("destination").GetString() == queue);
    }

    public async ValueTask DisposeAsync()
    {
        using var http = servers.ManagementClient();
        await http.DeleteAsync($"api/vhosts/{name}");
    }
}
