using Metering.Budget.Alerts;
using Metering.IntegrationTests.Harness;
using Metering.Testing;
using Metering.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.IntegrationTests;

/// <summary>
/// Where webhook events come from (SPEC §15), through the real services: the budget saga's level changes, closed
/// cycles and rejection spikes, each delivered to a real HTTP receiver once.
/// </summary>
public sealed class WebhookEventTests : MeteringTest
{
    // Ten days into November, as in BudgetSagaTests: gpt-4o input, each token of the 24 h window projects 20 more.
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string, string)[] Fast = [("Webhooks:PollInterval", "00:00:00.100")];

    [Fact]
    public async Task A_budget_crossed_end_to_end_sends_one_budget_level_changed_per_level_change()
    {
        var clock = MeteringEnvironment.ClockAt(Now);
        Environment.StartWorker(clock);
        Environment.StartBudget(clock, Fast);
        var api = Environment.StartApi(clock).Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var elsewhere = await WebhookReceiver.StartAsync();
        var (_, secret) = await api.RegisterAsync(receiver.Url, [WebhookEventTypes.BudgetLevelChanged], tenantId: "runaway");
        var (otherTenant, _) = await api.RegisterAsync(elsewhere.Url, [WebhookEventTypes.BudgetLevelChanged], tenantId: "acme");
        var (otherType, _) = await api.RegisterAsync(elsewhere.Url, [WebhookEventTypes.CycleClosed, WebhookEventTypes.RejectionsSpike]);
        var raw = await Environment.RawPublisherAsync();
        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "100" });
        var n = 0;
        Task Use(long tokens) => raw.PublishAsync(MeteringEnvironment.Json(Usage.Event($"u{n++}", tenant: "runaway", prompt: tokens, completion: 0, at: Now.AddHours(-2))));

        await Use(1_700_000);                                    // spend 4.25, projected 89.25: warn
        await receiver.WaitForAcknowledgedAsync(1);
        await Use(400_000);                                      // spend 5.25, projected 110.25: slowdown
        await receiver.WaitForAcknowledgedAsync(2);
        await Use(40_000_000);                                   // spend 105.25: block
        await receiver.WaitForAcknowledgedAsync(3);

        var changes = receiver.AcknowledgedBodies().Select(b => b["data"]!.AsObject()).ToList();
        Assert.Equal([("normal", "warn"), ("warn", "slowdown"), ("slowdown", "block")], changes.Select(c => ((string)c["previousLevel"]!, (string)c["level"]!)));
        Assert.Equal([1L, 2, 3], changes.Select(c => (long)c["sequence"]!));
        var block = changes[^1];
        Assert.Equal(("runaway", "2026-11-01", "105.25", "100.00"), ((string)block["tenantId"]!, (string)block["cycle"]!, (string)block["spendToDate"]!, (string)block["budget"]!));
        Assert.Equal("spend to date 105.25 ≥ 100% of budget 100.00", (string?)block["reason"]);
        Assert.True(block["projectedSpend"].Money() > 105m);
        Assert.All(receiver.AcknowledgedBodies(), b => Assert.Equal(WebhookEventTypes.BudgetLevelChanged, (string?)b["type"]));
        Assert.All(receiver.Received, r => Assert.True(WebhookReceiver.SignatureHolds(r, secret)));

        // One event per command the saga recorded, and nothing for the endpoints of another tenant or other events.
        Assert.Equal(3L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM throttle_commands"));
        Assert.Equal(3L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_events"));
        Assert.Equal(0L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ANY(@ids)", ("ids", new[] { otherTenant, otherType })));
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public async Task A_cycle_is_announced_closed_once_its_grace_period_ends_with_its_totals_even_by_two_budget_instances()
    {
        var clock = MeteringEnvironment.ClockAt(Now);
        Environment.StartWorker(clock);
        var api = Environment.StartApi(clock).Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        await api.RegisterAsync(receiver.Url, [WebhookEventTypes.CycleClosed], tenantId: "acme");
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("n1", prompt: 2_000_000, completion: 0, at: Now.AddHours(-2))));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("n2", prompt: 1_000_000, completion: 100_000, at: Now.AddHours(-1))));
        await Environment.WaitForAsync(2);
        var budgets = new[] { Environment.StartBudget(clock, Fast), Environment.StartBudget(clock, Fast) };
        var jobs = budgets.Select(b => b.Services.GetRequiredService<CycleClosedAlerts>()).ToList();

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 23, 59, 59, TimeSpan.Zero));       // November ended, its 72 h of grace have not
        Assert.Equal(new[] { 0, 0 }, await Task.WhenAll(jobs.Select(j => j.RunAsync(CancellationToken.None))));
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero));          // grace over: both instances look at once
        await Task.WhenAll(jobs.Select(j => j.RunAsync(CancellationToken.None)));
        await receiver.WaitForAcknowledgedAsync(1);

        Assert.Equal(new[] { 0, 0 }, await Task.WhenAll(jobs.Select(j => j.RunAsync(CancellationToken.None))));
        Assert.Equal(1L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE type = 'cycle.closed'"));
        var closed = Assert.Single(receiver.AcknowledgedBodies());
        var data = closed["data"]!;
        Assert.Equal(("acme", "2026-11-01", 2L, 0L), ((string)data["tenantId"]!, (string)data["cycle"]!, (long)data["events"]!, (long)data["reversals"]!));
        Assert.Equal(await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries"), data["cost"].Money());
        Assert.Equal(8.5m, data["cost"].Money());                                           // 3M input at 2.50 and 100k output at 10.00 per 1M
        Assert.Equal("2026-12-04T00:00:00+00:00", (string?)data["closedAt"]);
        Assert.Equal("2026-12-04T00:00:00+00:00", (string?)closed["timestamp"]);
    }

    [Fact]
    public async Task A_rejection_spike_is_announced_once_per_episode_with_its_top_codes()
    {
        var clock = MeteringEnvironment.ClockAt(Now);
        Environment.StartWorker(clock);
        // The job runs when the test says, not on its own timer (an hour that this test's clock never reaches).
        var budget = Environment.StartBudget(clock, [.. Fast, ("Webhooks:SpikeThreshold", "3"), ("Webhooks:SpikeWindow", "00:05:00"), ("Webhooks:JobInterval", "01:00:00")]);
        var api = Environment.StartApi(clock).Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        await api.RegisterAsync(receiver.Url, [WebhookEventTypes.RejectionsSpike]);
        var raw = await Environment.RawPublisherAsync();
        var job = budget.Services.GetRequiredService<RejectionSpikeAlerts>();
        var n = 0;
        Task Reject(string tenant, string model = "gpt-4o", long prompt = -1) =>
            raw.PublishAsync(MeteringEnvironment.Json(Usage.Event($"r{n++}", tenant: tenant, model: model, prompt: prompt, at: Now.AddMinutes(-1))));

        await Task.WhenAll(Reject("noisy"), Reject("noisy"), Reject("noisy"), Reject("noisy", model: "no-such-model", prompt: 10), Reject("calm"), Reject("calm"));
        await Environment.WaitForAsync(0, rejected: 6);

        Assert.Equal([0, 1], (await Task.WhenAll(job.RunAsync(CancellationToken.None), job.RunAsync(CancellationToken.None))).Order());
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));                       // the same episode, still above the threshold
        await receiver.WaitForAcknowledgedAsync(1);
        var spike = Assert.Single(receiver.AcknowledgedBodies())["data"]!;
        Assert.Equal(("noisy", 4L, 3, 300), ((string)spike["tenantId"]!, (long)spike["count"]!, (int)spike["threshold"]!, (int)spike["windowSeconds"]!));
        Assert.Equal([("invalid", 3L), ("unknown-model", 1L)], spike["topCodes"]!.AsArray().Select(c => ((string)c!["code"]!, (long)c["count"]!)));

        clock.Advance(TimeSpan.FromMinutes(6));                                            // the window empties: the episode ends
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        await Task.WhenAll(Reject("noisy"), Reject("noisy"), Reject("noisy"));
        await Environment.WaitForAsync(0, rejected: 9);
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));                       // a new episode
        await receiver.WaitForAcknowledgedAsync(2);
        Assert.Equal(["noisy", "noisy"], receiver.AcknowledgedBodies().Select(b => (string)b["data"]!["tenantId"]!));
    }
}
