using System.Text.Json;
using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>Events published to RabbitMQ end up priced, once, in the PostgreSQL ledger (SPEC §3, §6).</summary>
public sealed class PipelineTests : MeteringTest
{
    [Fact]
    public async Task A_stream_through_rabbitmq_produces_the_ledger_the_offline_pricer_computes()
    {
        var stream = Usage.MixedStream(600);
        Environment.StartWorker(settings: ("Metering:ConcurrentBatches", "1"));
        await using (var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri, BatchSize = 50 }))
        {
            await Task.WhenAll(stream.Select(usage => publisher.PublishAsync(usage)));
        }

        await Environment.WaitForAsync(stream.Count);
        var offline = await MeteringCli.PriceAsync(MeteringEnvironment.JsonLines(stream));
        var ledger = await Environment.CostsByEventAsync();

        Assert.Equal(stream.Count, ledger.Count);
        Assert.All(offline, line => Assert.Equal(decimal.Parse((string)line["cost"]!, System.Globalization.CultureInfo.InvariantCulture), ledger[$"{line["tenantId"]}/{line["eventId"]}"]));

        // Cycle totals, rollups and counters all agree with the entries, exactly.
        Assert.Equal(ledger.Values.Sum(), await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM cycle_states"));
        Assert.Equal(ledger.Values.Sum(), await Environment.Database.ScalarAsync<decimal>("SELECT sum(amount) FROM cycle_rollups"));
        Assert.Equal(ledger.Values.Sum(), await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM hourly_usage"));
        Assert.Empty(await Environment.Database.QueryAsync(
            """
            SELECT c.tenant_id FROM cycle_counters c
            LEFT JOIN (SELECT tenant_id, cycle, provider, sum(billed_tokens) AS billed FROM ledger_entries GROUP BY 1, 2, 3) e USING (tenant_id, cycle, provider)
            WHERE c.billed_tokens IS DISTINCT FROM e.billed
            """,
            r => r.GetString(0)));
        var byProvider = await Environment.Database.QueryAsync(
            "SELECT tenant_id || '/' || provider, sum(amount) FROM cycle_rollups GROUP BY 1",
            r => (Key: r.GetString(0), Cost: r.GetDecimal(1)));
        var offlineByProvider = stream.Join(offline, u => u.EventId, l => (string)l["eventId"]!, (u, l) => (Key: $"{u.TenantId}/{u.Provider}", Cost: decimal.Parse((string)l["cost"]!, System.Globalization.CultureInfo.InvariantCulture)))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Cost));
        Assert.Equal(offlineByProvider.OrderBy(p => p.Key), byProvider.ToDictionary(p => p.Key, p => p.Cost).OrderBy(p => p.Key));
    }

    [Fact]
    public async Task A_producer_that_is_not_masstransit_is_metered_whatever_the_content_type()
    {
        Environment.StartWorker();
        var raw = await Environment.RawPublisherAsync();

        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("single")));
        await raw.PublishAsync(JsonSerializer.Serialize(new[] { Usage.Event("array-1"), Usage.Event("array-2") }, Metering.Contracts.MeteringJson.Options));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("no-content-type")), contentType: null);
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("text-plain")), contentType: "text/plain");

        await Environment.WaitForAsync(5);
        Assert.Equal(["array-1", "array-2", "no-content-type", "single", "text-plain"], (await Environment.CostsByEventAsync("acme")).Keys.Order());
    }

    [Fact]
    public async Task The_consumer_counts_priced_duplicate_and_rejected_events_for_prometheus()
    {
        // A process of its own: the meter is process-wide, and other tests' consumers run in this one.
        var port = Ports.Free();
        var worker = Environment.StartWorkerProcess(("Urls", $"http://127.0.0.1:{port}"));
        await Environment.Vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);
        using var scrape = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var raw = await Environment.RawPublisherAsync();
        var once = MeteringEnvironment.Json(Usage.Event("counted"));
        await raw.PublishAsync(once);
        await raw.PublishAsync("{not json");
        await Environment.WaitForAsync(entries: 1, rejected: 1);
        await raw.PublishAsync(once);

        var metrics = await Eventually.Until(
            () => scrape.GetStringAsync("/metrics"), m => Prometheus.Sample(m, "metering_events_duplicates_total") == 1, "the duplicate counted");

        Assert.Equal(1, Prometheus.Sample(metrics, "metering_events_priced_total"));
        Assert.Equal(1, Prometheus.Sample(metrics, "metering_events_rejected_total", "code=\"malformed\""));
        Assert.Contains("metering_lag_seconds_count", metrics, StringComparison.Ordinal);
        Assert.Contains("metering_batch_duration_milliseconds_bucket", metrics, StringComparison.Ordinal);
    }
}
