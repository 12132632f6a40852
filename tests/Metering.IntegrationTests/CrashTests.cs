using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>Messages stay in RabbitMQ until their ledger transaction commits: a killed consumer loses nothing and bills nothing twice (SPEC §7, §12).</summary>
public sealed class CrashTests : MeteringTest
{
    [Fact]
    public async Task A_consumer_killed_mid_stream_and_restarted_bills_every_event_exactly_once()
    {
        var stream = Usage.MixedStream(6_000, "crash");
        var worker = Environment.StartWorkerProcess();
        await Environment.Vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);
        await using (var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri }))
        {
            await Task.WhenAll(stream.Chunk(5).Select(chunk => publisher.PublishBatchAsync(chunk)));
        }

        foreach (var killAt in new[] { 1_000, 3_000 })
        {
            await Eventually.Until(Environment.LedgerCountAsync, n => n >= killAt, $"{killAt} entries before the kill");
            await worker.KillAsync();
            await worker.DisposeAsync();
            worker = Environment.StartWorkerProcess();
        }

        await using (worker)
        {
            await Environment.WaitForAsync(stream.Count, timeout: TimeSpan.FromMinutes(2));
        }

        var offline = Assert.Single(await MeteringCli.PriceAsync(MeteringEnvironment.JsonLines(stream), "--summary"));
        Assert.Equal(stream.Count, await Environment.LedgerCountAsync());
        Assert.Equal(stream.Count, await Environment.Database.ScalarAsync<long>("SELECT count(DISTINCT (tenant_id, event_id)) FROM ledger_entries"));
        Assert.Equal(0, await Environment.RejectedCountAsync());
        Assert.Equal(stream.Count, await Environment.Database.ScalarAsync<long>("SELECT sum(events) FROM cycle_states"));
        Assert.Equal(
            await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries"),
            await Environment.Database.ScalarAsync<decimal>("SELECT sum(amount) FROM cycle_rollups"));
        Assert.Equal(decimal.Parse((string)offline["totalCost"]!, System.Globalization.CultureInfo.InvariantCulture), await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries"));
    }
}
