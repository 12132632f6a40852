using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>Messages stay in RabbitMQ until their ledger transaction commits: a killed consumer loses nothing and bills nothing twice (SPEC §7, §12).</summary>
public sealed class CrashTests : MeteringTest
{
    [Fact]
    public async Task A_consumer_killed_repeatedly_mid_stream_and_restarted_bills_every_event_exactly_once()
    {
        // CI: 6,000 events and 2 kills; infra/reliability.sh: 100,000 events and 5 kills (SPEC §12).
        var (events, kills) = (Scale.Of(6_000, 100_000), Scale.Of(2, 5));
        var stream = Usage.MixedStream(events, "crash", maxPrompt: 3_000);
        var worker = Environment.StartWorkerProcess();
        await Environment.Vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);
        await using (var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri }))
        {
            await Task.WhenAll(stream.Chunk(5).Select(chunk => publisher.PublishBatchAsync(chunk)));
        }

        for (var kill = 1; kill <= kills; kill++)
        {
            var at = events * kill / (kills + 1);
            await Eventually.Until(Environment.LedgerCountAsync, n => n >= at, $"{at} entries before kill {kill}", Scale.Timeout);
            await worker.KillAsync();
            worker = Environment.StartWorkerProcess();
        }

        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    [Fact]
    public async Task Four_consumers_over_one_tenant_across_the_100M_boundary_one_killed_split_the_tier_exactly_and_bill_once()
    {
        // 120M input tokens on deepseek (discounted 75 % from 100M) in events of equal size, so the total does not
        // depend on the order the consumers took them in; CI 2,400 events, infra/reliability.sh 24,000 (SPEC §16).
        var events = Scale.Of(2_400, 24_000);
        var stream = Enumerable.Range(0, events)
            .Select(i => Usage.Event($"whale-{i}", tenant: "whale", provider: "deepseek", model: "deepseek-v4-pro", prompt: 120_000_000 / events, completion: 0))
            .ToList();
        var workers = Enumerable.Range(0, 4)
            .Select(_ => Environment.StartWorkerProcess(("Metering:BatchMessageLimit", "20"), ("Metering:ConcurrentBatches", "2")))
            .ToList();
        await Environment.Vhost.WaitForConsumerAsync(describe: () => workers[0].RecentOutput);
        await using (var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri }))
        {
            await Task.WhenAll(stream.Chunk(2).Select(chunk => publisher.PublishBatchAsync(chunk)));
        }

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= events / 3, "a third of the events before the kill", Scale.Timeout);
        await workers[1].KillAsync();

        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);

        // Every event's tokens occupy their own slice of the counter: the slices tile [0, 120M) with no gap or overlap.
        var slices = await Environment.Database.QueryAsync(
            "SELECT tier_position_before, billed_tokens FROM ledger_entries ORDER BY tier_position_before", r => (From: r.GetInt64(0), Tokens: r.GetInt64(1)));
        var expected = 0L;
        foreach (var (from, tokens) in slices)
        {
            Assert.Equal(expected, from);
            expected += tokens;
        }

        Assert.Equal(120_000_000L, expected);
        Assert.Equal(100_000_000L, await Environment.Database.ScalarAsync<long>("SELECT tokens FROM cycle_rollups WHERE tier = 0"));
        Assert.Equal(58.8m, await Environment.Database.ScalarAsync<decimal>("SELECT cost FROM cycle_states WHERE tenant_id = 'whale'"));
    }
}
