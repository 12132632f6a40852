using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metering.Contracts;
using Metering.Testing;

namespace Metering.Bench;

/// <summary>
/// Freshness: events published at a steady rate, one per message, each timed from the moment it is published to the
/// moment the ledger API first lists it. The API's ledger is tailed per tenant with its cursor, as a client would.
/// </summary>
internal static class FreshnessBench
{
    private const string Key = "bench-admin-key";

    public static async Task<(double P50, double P99, int Events)> RunAsync(int perSecond, TimeSpan duration)
    {
        Console.Error.WriteLine($"freshness: {perSecond:N0} events/s for {duration.TotalSeconds:0} s, publish → visible in GET /v1/tenants/{{t}}/ledger");
        await using var environment = await BenchEnvironment.CreateAsync();
        var port = Ports.Free();
        var worker = environment.Start("Metering.Worker");
        environment.Start("Metering.Api", ("Api:AdminKey", Key), ("Urls", $"http://127.0.0.1:{port}"));
        await environment.Vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await Eventually.Until(async () => { try { return (await http.GetAsync("/health/ready")).IsSuccessStatusCode; } catch (HttpRequestException) { return false; } }, up => up, "the API");
        await using var publisher = await LoadPublisher.ConnectAsync(environment.Vhost.Uri);

        var published = new ConcurrentDictionary<string, long>();
        var seen = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var tails = Workload.Tenants.Select(tenant => TailAsync(http, tenant, seen, stop.Token)).ToList();

        // Two seconds of the same traffic first, unmeasured: the worker's first batch pays for JIT compilation and
        // the connection pools, which a service that has been running for a while has long paid.
        var warmUp = Workload.Events(2 * perSecond, "warm").ToList();
        await PublishSteadilyAsync(publisher, warmUp, perSecond, published, seen);
        var events = Workload.Events((int)(perSecond * duration.TotalSeconds), "fresh").ToList();
        await PublishSteadilyAsync(publisher, events, perSecond, published, seen);
        await stop.CancelAsync();
        await Task.WhenAll(tails);

        var latencies = events.Select(e => Stopwatch.GetElapsedTime(published[e.EventId], seen[e.EventId]).TotalMilliseconds).Order().ToList();
        double At(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        return (At(0.50), At(0.99), latencies.Count);
    }

    /// <summary>One event per message at a steady rate, each stamped with the moment it goes out; then waits until all are seen.</summary>
    private static async Task PublishSteadilyAsync(
        LoadPublisher publisher, List<TokenUsage> events, int perSecond, ConcurrentDictionary<string, long> published, ConcurrentDictionary<string, long> seen)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>();
        for (var i = 0; i < events.Count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var usage = events[i] with { OccurredAt = DateTimeOffset.UtcNow };
            published[usage.EventId] = Stopwatch.GetTimestamp();
            pending.Add(publisher.PublishAsync([JsonSerializer.SerializeToUtf8Bytes(usage, MeteringJson.Options)]));
            if (i % perSecond == 0 && i > 0)
            {
                Console.Error.WriteLine($"  {events[0].EventId[..4]}: published {i:N0}, visible {events.Take(i).Count(e => seen.ContainsKey(e.EventId)):N0}");
            }
        }

        await Task.WhenAll(pending);
        await Eventually.Until(() => Task.FromResult(events.Count(e => seen.ContainsKey(e.EventId))), n => n == events.Count, "every event visible in the API", TimeSpan.FromMinutes(2));
    }

    private static async Task TailAsync(HttpClient http, string tenant, ConcurrentDictionary<string, long> seen, CancellationToken stop)
    {
        string? cursor = null;
        while (!stop.IsCancellationRequested)
        {
            bool more;
            do
            {
                var page = JsonNode.Parse(await http.GetStringAsync($"/v1/tenants/{tenant}/ledger?limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}", CancellationToken.None))!;
                var now = Stopwatch.GetTimestamp();
                foreach (var entry in page["items"]!.AsArray())
                {
                    seen.TryAdd((string)entry!["eventId"]!, now);
                }

                cursor = (string?)page["nextCursor"] ?? cursor;
                more = (bool)page["hasMore"]!;
            }
            while (more);

            // A dashboard-like client: a few polls a second per tenant, not a busy loop competing with the worker for CPU.
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
