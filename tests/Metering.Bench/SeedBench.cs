using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Metering.Contracts;
using Metering.Ledger;
using Metering.Ledger.Writing;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Metering.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.Bench;

/// <summary>
/// <c>seed</c>: fills a kept database with a large, realistic ledger through the real ledger transaction (binary COPY
/// of entries, with the rollups written alongside), for the API latency benchmark. Idempotent: event ids are
/// deterministic, so running it again tops the ledger up instead of doubling it.
/// </summary>
internal static class SeedBench
{
    public const string DefaultDatabase = "metering_bench";
    private const int EventsPerCommit = 5_000;

    public static readonly string[] Tenants = ["whale", "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell", "cyberdyne"];

    public static Option<string> DatabaseOption() => new("--database") { Description = "The kept database.", DefaultValueFactory = _ => DefaultDatabase };

    public static Command Command()
    {
        var entries = new Option<int>("--entries") { Description = "Ledger entries to have.", DefaultValueFactory = _ => 10_000_000 };
        var database = DatabaseOption();
        var fresh = new Option<bool>("--fresh") { Description = "Drop and recreate the database first." };
        var command = new Command("seed", "Fill a kept database with a large ledger (half of it one tenant's) for `api`.") { entries, database, fresh };
        command.SetAction(async (parse, cancellation) =>
        {
            await SeedAsync(parse.GetValue(entries), parse.GetValue(database)!, parse.GetValue(fresh), cancellation);
            return 0;
        });
        return command;
    }

    private static async Task SeedAsync(int target, string name, bool fresh, CancellationToken cancellation)
    {
        var servers = await Servers.GetAsync();
        await using var database = await servers.KeptDatabaseAsync(name, fresh);
        await using var services = new ServiceCollection().AddLogging().AddLedger(database.ConnectionString).BuildServiceProvider();
        var writer = services.GetRequiredService<MeteringTransaction>();
        var existing = await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries");
        Console.Error.WriteLine($"seeding {name}: {existing:N0} entries there, {target:N0} wanted");

        var now = DateTimeOffset.UtcNow;
        var cycle = BillingCycle.Containing(now, 1);
        var clock = Stopwatch.StartNew();
        var written = 0L;

        // The whale in one stream, everyone else in another: two writers that never wait for each other's locks.
        await Task.WhenAll(
            SeedStreamAsync(writer, ["whale"], target / 2, "w", cycle, now, n => Interlocked.Add(ref written, n), cancellation),
            SeedStreamAsync(writer, Tenants[1..], target - target / 2, "o", cycle, now, n => Interlocked.Add(ref written, n), cancellation),
            ReportAsync());

        Console.Error.WriteLine($"seeded: {await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries"):N0} entries in {name}");

        async Task ReportAsync()
        {
            while (Interlocked.Read(ref written) < target - existing && clock.Elapsed < TimeSpan.FromHours(2))
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellation);
                var done = Interlocked.Read(ref written);
                Console.Error.WriteLine($"  {done:N0} events committed, {done / clock.Elapsed.TotalSeconds:N0}/s");
            }
        }
    }

    private static async Task SeedStreamAsync(
        MeteringTransaction writer, string[] tenants, int count, string prefix, BillingCycle cycle, DateTimeOffset now, Action<int> committed, CancellationToken cancellation)
    {
        var random = new Random(prefix.GetHashCode(StringComparison.Ordinal));
        var span = now - cycle.Start - TimeSpan.FromMinutes(1);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(EventsPerCommit))
        {
            var events = chunk.Select(i => Event(random, tenants[i % tenants.Length], $"seed-{prefix}-{i}", cycle.Start + span * ((double)i / count)));
            var messages = events.Chunk(100).Select(e => IncomingMessage.Read(JsonSerializer.SerializeToUtf8Bytes(e, MeteringJson.Options), now)).ToList();
            var result = await writer.CommitAsync(messages, new MeteringRules(TimeSpan.FromHours(72)), now, cancellationToken: cancellation);
            committed(result.Outcome.Priced.Count);
        }
    }

    private static TokenUsage Event(Random random, string tenant, string id, DateTimeOffset at)
    {
        (string Provider, string Model)[] models =
        [
            ("deepseek", "deepseek-v4-pro"), ("openrouter", "deepseek-v4-pro"), ("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-3-5-sonnet"),
        ];
        var (provider, model) = models[random.Next(models.Length)];
        var prompt = random.NextInt64(200, 30_000);
        return new TokenUsage
        {
            EventId = id,
            TenantId = tenant,
            Provider = provider,
            Model = model,
            PromptTokens = prompt,
            CompletionTokens = random.NextInt64(10, 3_000),
            CachedTokens = random.NextInt64(0, prompt / 2),
            MaxTokens = random.Next(3) == 0 ? 4_096 : null,
            OccurredAt = at,
            Service = random.Next(3) switch { 0 => "chat", 1 => "search", _ => "agents" },
            RequestId = id,
        };
    }
}
