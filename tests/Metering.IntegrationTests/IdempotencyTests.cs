using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>(tenantId, eventId) is billed once, forever; a duplicate republishes what its first delivery published (SPEC §7).</summary>
public sealed class IdempotencyTests : MeteringTest
{
    [Fact]
    public async Task The_same_message_twice_is_billed_once_and_republishes_the_same_spend_update()
    {
        Environment.StartWorker();
        await using var tap = await SpendUpdateTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        var body = MeteringEnvironment.Json(Usage.Event("once", prompt: 1_000_000));

        await raw.PublishAsync(body);
        await Environment.WaitForAsync(1);
        var first = await Eventually.Until(() => Task.FromResult(tap.Received.ToArray()), r => r.Length == 1, "the first spend update");
        await raw.PublishAsync(body);
        var both = await Eventually.Until(() => Task.FromResult(tap.Received.ToArray()), r => r.Length == 2, "the republished spend update");

        Assert.Equal(1, await Environment.LedgerCountAsync());
        Assert.Equal(2.5m + 0.001m, await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries"));
        Assert.Equal(1, await Environment.Database.ScalarAsync<long>("SELECT events FROM cycle_states"));
        Assert.Equal(first[0].MessageId, both[1].MessageId);
        Assert.Equal(first[0].Update, both[1].Update);
        Assert.Equal(MessageIds.SpendUpdated("acme", first[0].Update.Cycle, 1), first[0].MessageId);
    }

    [Fact]
    public async Task The_same_event_in_two_batches_and_twice_in_one_message_is_billed_once()
    {
        Environment.StartWorker();
        var raw = await Environment.RawPublisherAsync();
        var a = Usage.Event("a");
        var b = Usage.Event("b");
        var c = Usage.Event("c");

        await raw.PublishAsync(JsonSerializer.Serialize(new[] { a, b }, MeteringJson.Options));
        await Environment.WaitForAsync(2);
        await raw.PublishAsync(JsonSerializer.Serialize(new[] { b, c, c, a with { PromptTokens = 999 } }, MeteringJson.Options));
        await Environment.WaitForAsync(3);
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("d")));
        await Environment.WaitForAsync(4);

        Assert.Equal(["a", "b", "c", "d"], (await Environment.CostsByEventAsync("acme")).Keys.Order());
        Assert.Equal(1_000L, await Environment.Database.ScalarAsync<long>("SELECT prompt_tokens FROM ledger_entries WHERE event_id = 'a'"));
        Assert.Equal(0, await Environment.RejectedCountAsync());
    }

    [Fact]
    public async Task A_duplicate_storm_from_concurrent_producers_is_billed_once_per_event()
    {
        Environment.StartWorker();
        Environment.StartWorker();
        var stream = Usage.MixedStream(300, "storm");
        var raw = await Environment.RawPublisherAsync();

        // every event three times, in different messages and message shapes, published concurrently
        await Task.WhenAll(
            Task.WhenAll(stream.Select(u => raw.PublishAsync(MeteringEnvironment.Json(u)))),
            Task.WhenAll(stream.Chunk(7).Select(chunk => raw.PublishAsync(JsonSerializer.Serialize(chunk, MeteringJson.Options)))),
            Task.WhenAll(stream.AsEnumerable().Reverse().Chunk(50).Select(chunk => raw.PublishAsync(JsonSerializer.Serialize(chunk, MeteringJson.Options)))));

        await Environment.WaitForAsync(stream.Count);
        await Eventually.Until(
            () => Environment.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"), n => n == 0, "every spend update published");
        Assert.Equal(stream.Count, await Environment.LedgerCountAsync());
        Assert.Equal(stream.Count, await Environment.Database.ScalarAsync<long>("SELECT sum(events) FROM cycle_states"));
        Assert.Equal(
            await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries"),
            await Environment.Database.ScalarAsync<decimal>("SELECT sum(amount) FROM cycle_rollups"));
    }
}
