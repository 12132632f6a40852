using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Ledger;
using Metering.Ledger.Writing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Metering.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.IntegrationTests;

/// <summary>
/// A reader tailing a tenant's ledger by id (the API's <c>nextCursor</c>) sees every entry, however writers of the
/// same cycle interleave: entry ids are drawn under the cycle lock, so within a cycle they grow in commit order.
/// </summary>
public sealed class LedgerCursorTests
{
    [Fact]
    public async Task A_reader_tailing_by_id_never_passes_an_entry_that_commits_later()
    {
        var servers = await Servers.GetAsync();
        await using var database = await servers.CreateDatabaseAsync();
        await using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddLedger(database.ConnectionString).BuildServiceProvider();
        var writer = services.GetRequiredService<MeteringTransaction>();
        var rules = new MeteringRules(TimeSpan.FromHours(72));
        var stream = Usage.MixedStream(4_000, "tail").Select(u => u with { TenantId = "acme" }).ToList();
        var batches = stream.Chunk(50).ToList();
        var next = -1;

        async Task WriteAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                var now = DateTimeOffset.UtcNow;
                var message = IncomingMessage.Read(JsonSerializer.SerializeToUtf8Bytes(batches[i], MeteringJson.Options), now);
                await writer.CommitAsync([message], rules, now);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var cursor = 0L;
        var writers = Task.WhenAll(WriteAsync(), WriteAsync(), WriteAsync());
        while (true)
        {
            var done = writers.IsCompleted;
            var page = await database.QueryAsync(
                $"SELECT id, event_id FROM ledger_entries WHERE tenant_id = 'acme' AND id > {cursor} ORDER BY id LIMIT 500",
                r => (Id: r.GetInt64(0), EventId: r.GetString(1)));
            foreach (var (id, eventId) in page)
            {
                seen.Add(eventId);
                cursor = id;
            }

            if (done && page.Count == 0)
            {
                break;
            }
        }

        await writers;
        var billed = await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE tenant_id = 'acme'");
        Assert.True(billed > 3_000, $"the stream should bill most of its events, billed {billed}");
        Assert.Equal(billed, seen.Count);
    }
}
