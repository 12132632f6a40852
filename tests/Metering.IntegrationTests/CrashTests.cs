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
}
