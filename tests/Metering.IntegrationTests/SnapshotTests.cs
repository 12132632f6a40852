using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>A read that shows totals reads them from one snapshot: never torn by a transaction committing meanwhile.</summary>
public sealed class SnapshotTests : MeteringTest
{
    [Fact]
    public async Task Every_cycle_summary_read_during_a_stream_adds_up_cost_models_and_buckets()
    {
        var stream = Usage.MixedStream(Scale.Of(6_000, 30_000), "snapshot", maxPrompt: 3_000).Select(u => u with { TenantId = "acme" }).ToList();
        Environment.StartWorker(settings: ("Metering:BatchMessageLimit", "20"));
        var api = Environment.StartApi().Admin();
        await using var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri });
        var publishing = Task.Run(async () =>
        {
            foreach (var chunk in stream.Chunk(5))
            {
                await publisher.PublishBatchAsync(chunk);
            }
        });

        var reads = 0;
        var readsWhileMetering = 0;
        while (true)
        {
            var done = publishing.IsCompleted && await Environment.LedgerCountAsync() == stream.Count;
            var summary = await api.GetJsonAsync("/v1/tenants/acme/cycles/current");
            var cost = summary["cost"].Money();
            var models = summary["models"]!.AsArray().Sum(m => m!["cost"].Money());
            var buckets = summary["buckets"]!.AsArray().Sum(b => b!["cost"].Money());
            var events = (long)summary["events"]!;
            Assert.True(cost == models && models == buckets, $"read {reads} is torn: cost {cost}, models {models}, buckets {buckets}");
            Assert.Equal(events, summary["models"]!.AsArray().Sum(m => (long)m!["events"]!));
            reads++;
            readsWhileMetering += events is > 0 && !done ? 1 : 0;
            if (done)
            {
                break;
            }
        }

        await publishing;
        Assert.True(readsWhileMetering >= 5, $"only {readsWhileMetering} of {reads} reads came while the stream was being metered");
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }
}
