using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Metering.Testing;

namespace Metering.Bench;

/// <summary>
/// <c>api</c>: p50/p99 of the cycle summary and of a ledger page, with concurrent clients, against the real API
/// process on the database <c>seed</c> filled.
/// </summary>
internal static class ApiBench
{
    private const string Key = "bench-admin-key";

    public static Command Command()
    {
        var database = SeedBench.DatabaseOption();
        var seconds = new Option<int>("--seconds") { Description = "Measuring time per endpoint.", DefaultValueFactory = _ => 20 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 8 };
        var command = new Command("api", "Latency of the cycle summary and a ledger page on the seeded ledger.") { database, seconds, clients };
        command.SetAction(async (parse, cancellation) =>
        {
            await RunAsync(parse.GetValue(database)!, TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(clients), cancellation);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(string name, TimeSpan duration, int clients, CancellationToken cancellation)
    {
        var servers = await Servers.GetAsync();
        await using var database = await servers.KeptDatabaseAsync(name, fresh: false);
        var entries = await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries");
        var whale = await database.QueryAsync("SELECT min(id), max(id) FROM ledger_entries WHERE tenant_id = 'whale'", r => (Min: r.IsDBNull(0) ? 0 : r.GetInt64(0), Max: r.IsDBNull(1) ? 0 : r.GetInt64(1)));
        Console.Error.WriteLine($"{name}: {entries:N0} ledger entries; the whale's ids {whale[0].Min:N0}..{whale[0].Max:N0}");

        var port = Ports.Free();
        await using var api = ServiceProcess.Start("Metering.Api", new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ledger"] = database.ConnectionString + ";Maximum Pool Size=50",
            ["RabbitMq:Uri"] = servers.RabbitMq.ToString(),
            ["Api:AdminKey"] = Key,
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await Eventually.Until(async () => await Answers(http), up => up, () => $"the API on port {port}; it wrote: {api.RecentOutput}");

        var random = new Random(1);
        var results = new List<(string Name, Percentiles Latency)>
        {
            ("cycle summary (GET /v1/tenants/{t}/cycles/current)", await MeasureAsync(http, clients, duration,
                () => $"/v1/tenants/{SeedBench.Tenants[random.Next(SeedBench.Tenants.Length)]}/cycles/current", cancellation)),
            ("ledger page, 100 entries at a random depth (GET /v1/tenants/whale/ledger)", await MeasureAsync(http, clients, duration,
                () => $"/v1/tenants/whale/ledger?limit=100&cursor={Cursor(random.NextInt64(whale[0].Min, Math.Max(whale[0].Min + 1, whale[0].Max)))}", cancellation)),
            ("ledger page, filtered by provider and service", await MeasureAsync(http, clients, duration,
                () => $"/v1/tenants/whale/ledger?limit=100&provider=openai&service=chat&cursor={Cursor(random.NextInt64(whale[0].Min, Math.Max(whale[0].Min + 1, whale[0].Max)))}", cancellation)),
        };

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entries:N0} ledger entries, {clients} concurrent clients, {duration.TotalSeconds:0} s each"));
        Console.WriteLine("| request | requests/s | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (label, p) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {p.PerSecond:N0} | {p.P50:0.0} | {p.P99:0.0} | {p.Max:0.0} |"));
        }
    }

    private static async Task<Percentiles> MeasureAsync(HttpClient http, int clients, TimeSpan duration, Func<string> next, CancellationToken cancellation)
    {
        // Warm up: JIT, connection pool, prepared statements, caches.
        await RunClientsAsync(http, clients, TimeSpan.FromSeconds(3), next, [], cancellation);
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await RunClientsAsync(http, clients, duration, next, latencies, cancellation);
        return Percentiles.Of(latencies, clock.Elapsed);
    }

    private static Task RunClientsAsync(HttpClient http, int clients, TimeSpan duration, Func<string> next, List<double> latencies, CancellationToken cancellation) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                string url;
                lock (latencies)
                {
                    url = next();
                }

                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(url, cancellation);
                await response.Content.ReadAsByteArrayAsync(cancellation);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
                }

                lock (latencies)
                {
                    latencies.Add(elapsed);
                }
            }
        }));

    private static async Task<bool> Answers(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/health/live")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string Cursor(long afterId) => Convert.ToBase64String(BitConverter.GetBytes(afterId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

}

internal sealed record Percentiles(double P50, double P99, double Max, double PerSecond)
{
    public static Percentiles Of(List<double> latencies, TimeSpan elapsed)
    {
        latencies.Sort();
        double At(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        return new Percentiles(At(0.50), At(0.99), latencies.Count == 0 ? double.NaN : latencies[^1], latencies.Count / elapsed.TotalSeconds);
    }
}
