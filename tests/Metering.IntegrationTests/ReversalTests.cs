using Metering.IntegrationTests.Harness;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>A reversal negates one entry, linked to it, in the same cycle's totals and invoice (SPEC §6).</summary>
public sealed class ReversalTests : MeteringTest
{
    [Fact]
    public async Task A_reversed_entry_leaves_the_cycle_and_the_invoice_once_and_only_once()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        var raw = await Environment.RawPublisherAsync();
        foreach (var (id, prompt) in new[] { ("kept-1", 1_000L), ("billed-twice", 40_000L), ("kept-2", 3_000L) })
        {
            await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event(id, prompt: prompt)));
        }

        await Environment.WaitForAsync(entries: 3);
        var costs = await Environment.CostsByEventAsync("acme");
        var before = await api.GetJsonAsync("/v1/tenants/acme/cycles/current");
        var entryId = await Environment.Database.ScalarAsync<long>("SELECT id FROM ledger_entries WHERE event_id = 'billed-twice'");

        var reversed = await (await api.PostJsonAsync($"/v1/tenants/acme/ledger/{entryId}/reverse", new { reason = "the gateway billed a retried call twice" })).JsonAsync();
        var reversalId = (long)reversed["reversalId"]!;

        var after = await api.GetJsonAsync("/v1/tenants/acme/cycles/current");
        Assert.Equal(before["cost"].Money() - costs["billed-twice"], after["cost"].Money());
        Assert.Equal(costs["kept-1"] + costs["kept-2"], after["cost"].Money());
        Assert.Equal(1, (long)after["reversals"]!);
        Assert.Equal(after["cost"].Money(), after["models"]!.AsArray().Sum(m => m!["cost"].Money()));

        var invoice = await api.GetJsonAsync("/v1/tenants/acme/cycles/current/invoice");
        var reversalLines = invoice["lines"]!.AsArray().Where(l => (string)l!["kind"]! == "reversal").ToList();
        Assert.NotEmpty(reversalLines);
        Assert.All(reversalLines, l => Assert.True(l!["exactAmount"].Money() < 0));
        Assert.Equal(after["cost"].Money(), invoice["lines"]!.AsArray().Sum(l => l!["exactAmount"].Money()));

        var ledger = (await api.GetJsonAsync("/v1/tenants/acme/ledger?limit=100"))["items"]!.AsArray();
        var reversal = Assert.Single(ledger, e => (string)e!["kind"]! == "reversal")!;
        Assert.Equal(reversalId, (long)reversal["id"]!);
        Assert.Equal(entryId, (long)reversal["reversesId"]!);
        Assert.Equal(-costs["billed-twice"], reversal["cost"].Money());

        await (await api.PostJsonAsync($"/v1/tenants/acme/ledger/{entryId}/reverse", new { reason = "again" })).ProblemAsync(409);
        await (await api.PostJsonAsync($"/v1/tenants/acme/ledger/{reversalId}/reverse", new { reason = "undo" })).ProblemAsync(409);
        await (await api.PostJsonAsync("/v1/tenants/acme/ledger/987654321/reverse", new { reason = "nothing" })).ProblemAsync(404);
        await (await api.PostJsonAsync($"/v1/tenants/acme/ledger/{entryId}/reverse", new { reason = " " })).ProblemAsync(400);
        Assert.Equal(costs["kept-1"] + costs["kept-2"], await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM cycle_states WHERE tenant_id = 'acme'"));
    }
}
