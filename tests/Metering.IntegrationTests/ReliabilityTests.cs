using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Pricing.Usage;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>The reliability scenarios of SPEC §12 that need no server restarted; CI's size here, the full size in infra/reliability.sh.</summary>
public sealed class ReliabilityTests : MeteringTest
{
    [Fact]
    public async Task A_duplicate_storm_across_batches_and_redeliveries_bills_every_event_once()
    {
        // Every event twice, every tenth three times, in different message shapes, while one consumer is killed.
        var stream = Usage.MixedStream(Scale.Of(3_000, 50_000), "storm", maxPrompt: 3_000);
        var process = Environment.StartWorkerProcess();
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync(describe: () => process.RecentOutput);
        var raw = await Environment.RawPublisherAsync();
        var copies = new List<Task>
        {
            Task.WhenAll(stream.Select(u => raw.PublishAsync(MeteringEnvironment.Json(u)))),
            Task.WhenAll(stream.Chunk(7).Select(chunk => raw.PublishAsync(JsonSerializer.Serialize(chunk, MeteringJson.Options)))),
            Task.WhenAll(stream.Where((_, i) => i % 10 == 0).Reverse().Chunk(50).Select(chunk => raw.PublishAsync(JsonSerializer.Serialize(chunk, MeteringJson.Options)))),
        };

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= stream.Count / 3, "a third of the events billed", Scale.Timeout);
        await process.KillAsync(); // its unacknowledged batch is redelivered to the other consumer
        await Task.WhenAll(copies);
        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        await Environment.Vhost.WaitForEmptyQueueAsync();

        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    [Fact]
    public async Task A_flood_of_malformed_and_invalid_messages_is_rejected_with_reasons_while_good_events_are_billed()
    {
        var good = Usage.MixedStream(Scale.Of(2_000, 20_000), "good", maxPrompt: 3_000);
        var bad = Hostile(Scale.Of(1_000, 10_000)).ToList();
        var worker = Environment.StartWorkerProcess();
        await Environment.Vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);
        var raw = await Environment.RawPublisherAsync();
        var rssBefore = worker.ResidentMegabytes();

        // Interleaved: bad messages among good ones, one by one, as a broken producer would send them.
        var goodMessages = good.Chunk(Math.Max(1, good.Count / bad.Count)).Select(c => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(c, MeteringJson.Options))).ToList();
        for (var i = 0; i < Math.Max(bad.Count, goodMessages.Count); i++)
        {
            if (i < bad.Count)
            {
                await raw.PublishAsync(bad[i]);
            }

            if (i < goodMessages.Count)
            {
                await raw.PublishAsync(goodMessages[i]);
            }
        }

        await Environment.WaitForAsync(good.Count, rejected: bad.Count, timeout: Scale.Timeout);
        var peakRss = worker.ResidentMegabytes();

        Assert.False(worker.HasExited, worker.RecentOutput);
        Assert.Equal(bad.Count, await Environment.RejectedCountAsync());
        Assert.Equal(0, await Environment.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM rejected_events WHERE code NOT IN ('{RejectionCodes.Malformed}', '{RejectionCodes.Invalid}') OR message = ''"));
        Assert.True(peakRss < rssBefore + 400, $"the consumer grew from {rssBefore} MB to {peakRss} MB");
        await Environment.AssertBilledExactlyOnceAsync(good);
    }

    /// <summary>Distinct bad bodies of every kind: random bytes, truncated JSON, wrong types, huge numbers, deep nesting, enormous strings.</summary>
    private static IEnumerable<byte[]> Hostile(int count)
    {
        var random = new Random(11);
        var valid = MeteringEnvironment.Json(Usage.Event("template"));
        for (var i = 0; i < count; i++)
        {
            yield return (i % 8) switch
            {
                0 => RandomNumberGenerator.GetBytes(random.Next(1, 2_000)),
                1 => Encoding.UTF8.GetBytes(valid[..random.Next(1, valid.Length - 1)] + $"/*{i}"),
                2 => Encoding.UTF8.GetBytes(valid.Replace("\"template\"", $"\"bad-{i}\"", StringComparison.Ordinal).Replace("\"promptTokens\":1000", "\"promptTokens\":\"lots\"", StringComparison.Ordinal)),
                3 => Encoding.UTF8.GetBytes(valid.Replace("\"template\"", $"\"huge-{i}\"", StringComparison.Ordinal).Replace("\"promptTokens\":1000", "\"promptTokens\":1e400", StringComparison.Ordinal)),
                4 => Encoding.UTF8.GetBytes(new string('[', 500) + i + new string(']', 500)),
                5 => Encoding.UTF8.GetBytes($$"""{"eventId": "{{new string('x', i % 50 == 5 ? 2_000_000 : 5_000)}}-{{i}}", "tenantId": "acme"}"""),
                6 => Encoding.UTF8.GetBytes($$"""[{"eventId": "arr-{{i}}", "tenantId": 42}]"""),
                _ => Encoding.UTF8.GetBytes(valid.Replace("\"template\"", $"\"nul-{i}\\u0000\"", StringComparison.Ordinal)),
            };
        }
    }
}
