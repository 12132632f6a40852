using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>Several consumer instances on one tenant never lose a counter update, and the tier split stays exact (SPEC §11).</summary>
public sealed class ConcurrencyTests : MeteringTest
{
    [Fact]
    public async Task Three_consumers_over_one_tenant_crossing_the_100M_boundary_split_the_tier_exactly()
    {
        // 2,400 events of 50,000 input tokens: 120M tokens on deepseek, whose schedule discounts 75 % from 100M.
        for (var i = 0; i < 3; i++)
        {
            Environment.StartWorker(settings: [("Metering:BatchMessageLimit", "40"), ("Metering:ConcurrentBatches", "2")]);
        }

        var stream = Enumerable.Range(0, 2_400)
            .Select(i => Usage.Event($"whale-{i}", tenant: "whale", provider: "deepseek", model: "deepseek-v4-pro", prompt: 50_000, completion: 0))
            .ToList();
        var raw = await Environment.RawPublisherAsync();
        await Task.WhenAll(stream.Select((u, i) => i % 3 == 0
            ? raw.PublishAsync(JsonSerializer.Serialize(new[] { u }, MeteringJson.Options))
            : raw.PublishAsync(MeteringEnvironment.Json(u))));

        await Environment.WaitForAsync(stream.Count);

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
        Assert.Equal(120_000_000L, await Environment.Database.ScalarAsync<long>("SELECT billed_tokens FROM cycle_counters WHERE tenant_id = 'whale'"));
        Assert.Equal(100_000_000L, await Environment.Database.ScalarAsync<long>("SELECT tokens FROM cycle_rollups WHERE tier = 0"));
        Assert.Equal(20_000_000L, await Environment.Database.ScalarAsync<long>("SELECT tokens FROM cycle_rollups WHERE tier = 1"));

        // 100M × 0.56 + 20M × 0.14 per 1M, whatever order the consumers took the events in.
        var offline = Assert.Single(await MeteringCli.PriceAsync(MeteringEnvironment.JsonLines(stream), "--summary"));
        Assert.Equal(58.8m, await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries"));
        Assert.Equal("58.8", (string?)offline["totalCost"]);
        Assert.Equal(58.8m, await Environment.Database.ScalarAsync<decimal>("SELECT cost FROM cycle_states WHERE tenant_id = 'whale'"));
    }
}
