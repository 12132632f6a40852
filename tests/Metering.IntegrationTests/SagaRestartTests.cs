using Metering.IntegrationTests.Harness;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>The budget saga killed mid-cycle: on restart it neither loses a level change nor repeats one (SPEC §12).</summary>
public sealed class SagaRestartTests : MeteringTest
{
    private static readonly (string, string)[] SagaSettings = [("Budget:TickInterval", "00:00:01"), ("Budget:MinimumHistory", "00:00:00")];

    [Fact]
    public async Task A_saga_killed_between_changes_loses_no_command_and_repeats_none()
    {
        Environment.StartWorker();
        var api = Environment.StartApi().Admin();
        await using var tap = await ThrottleTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        var saga = Environment.StartBudgetProcess(SagaSettings);

        // Only the block threshold can be crossed: it follows actual spend, so the test decides when it is.
        async Task Budget(string amount) => (await api.PutJsonAsync("/v1/tenants/loop/budget", new { amount, warnAt = "10", slowdownAt = "10", blockAt = "1" })).EnsureSuccessStatusCode();
        Task Spend(string id) => raw.PublishAsync(MeteringEnvironment.Json(Usage.Event(id, tenant: "loop", prompt: 1_000_000, completion: 0)));

        await Budget("1");
        await Spend("first");                                     // 2.50 of 1.00: block
        await tap.WaitForLevelsAsync("block");

        await saga.KillAsync();
        await Budget("1000");                                     // announced while the saga is down; waits in its queue
        saga = Environment.StartBudgetProcess(SagaSettings);
        await tap.WaitForLevelsAsync("block", "normal");

        await saga.KillAsync();
        await Spend("second");
        await Budget("4");                                        // 5.00 of 4.00: block again, decided after the restart
        saga = Environment.StartBudgetProcess(SagaSettings);
        await tap.WaitForLevelsAsync("block", "normal", "block");

        await Budget("1000");                                     // one more change, to prove nothing else was queued
        await tap.WaitForLevelsAsync("block", "normal", "block", "normal");
        Assert.Equal([1L, 2, 3, 4], tap.Received.Select(r => (long)r.Body["sequence"]!));
        Assert.Equal(4, tap.Received.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(4, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type = 'ThrottleCommand' AND published_at IS NOT NULL"));
    }
}
