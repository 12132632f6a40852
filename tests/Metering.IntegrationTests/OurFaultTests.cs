using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// A fault of ours (a grant missing, a bug) is retried and, if it never clears, dead-lettered: never turned into the
/// customer's rejection (SPEC §7). Each test breaks only its own database, so these run with everything else.
/// </summary>
public sealed class OurFaultTests : MeteringTest
{
    [Fact]
    public async Task Insert_revoked_on_the_ledger_mid_stream_rejects_nothing_and_bills_every_event_once()
    {
        var stream = Usage.MixedStream(Scale.Of(5_000, 50_000), "revoked", maxPrompt: 3_000);
        Environment.StartWorker();
        await using var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri });
        var publishing = Task.Run(async () =>
        {
            foreach (var chunk in stream.Chunk(10))
            {
                await publisher.PublishBatchAsync(chunk);
            }
        });

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= stream.Count / 10, "a tenth of the events before the revoke", Scale.Timeout);
        await Environment.Database.ExecuteAsync("REVOKE INSERT ON ledger_entries FROM CURRENT_USER");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the fault itself: the worker keeps retrying meanwhile
        var duringTheFault = await Environment.LedgerCountAsync();
        await Environment.Database.ExecuteAsync("GRANT INSERT ON ledger_entries TO CURRENT_USER");
        await publishing;

        Assert.True(duringTheFault < stream.Count, $"the revoke came too late to matter: {duringTheFault} of {stream.Count} billed");
        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_for_a_bug_is_dead_lettered_not_rejected_and_the_rest_is_billed()
    {
        // A bug only this tenant's events hit: PL/pgSQL's RAISE is SQLSTATE P0001, neither bad data nor an outage.
        await Environment.Database.ExecuteAsync(
            """
            CREATE FUNCTION bug() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.tenant_id = 'buggy' THEN RAISE EXCEPTION 'a bug in the ledger'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER bug BEFORE INSERT ON event_keys FOR EACH ROW EXECUTE FUNCTION bug();
            """);
        Environment.StartWorker(settings: ("Metering:DeliveryLimit", "2"));
        await Environment.Vhost.WaitForConsumerAsync();
        var raw = await Environment.RawPublisherAsync();

        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("before")));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("hit", tenant: "buggy")));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("after")));

        // The batch the failing message came in goes back to RabbitMQ whole, so its neighbours are delivered as often
        // and may be dead-lettered beside it: they are billed already, and replaying them bills nothing twice.
        await Environment.WaitForAsync(entries: 2);
        await Environment.Vhost.WaitForEmptyQueueAsync();
        await Eventually.Until(() => Environment.Vhost.MessagesAsync("metering.usage.dead-letter"), n => n >= 1, "the failing message in the dead-letter queue", Scale.Timeout);
        Assert.Equal(["after", "before"], (await Environment.CostsByEventAsync("acme")).Keys.Order());
        Assert.Empty(await Environment.CostsByEventAsync("buggy"));
        Assert.Equal(0, await Environment.RejectedCountAsync());
    }
}
