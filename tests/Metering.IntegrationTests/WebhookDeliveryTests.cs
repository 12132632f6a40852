using System.Text.Json.Nodes;
using Metering.Budget.Decisions;
using Metering.Budget.Saga;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Testing;
using Metering.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// Webhook delivery against a real HTTP receiver on a loopback port (SPEC §15): Standard Webhooks signatures, the
/// outbox (nothing for a change rolled back), retries while the receiver is down, and disabling after 24 hours.
/// </summary>
public sealed class WebhookDeliveryTests : MeteringTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static readonly (string, string)[] Fast = [("Webhooks:PollInterval", "00:00:00.100")];

    private static readonly string[] CycleClosed = [WebhookEventTypes.CycleClosed];

    [Fact]
    public async Task A_delivery_carries_the_Standard_Webhooks_headers_and_a_signature_the_reference_library_verifies()
    {
        Environment.StartBudget(null, Fast);
        var api = Environment.StartApi().Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, secret) = await api.RegisterAsync(receiver.Url, CycleClosed);
        var now = DateTimeOffset.UtcNow;
        var message = WebhookHarness.Message("signed", now);

        await Environment.EnqueueAsync(now, message);
        await receiver.WaitForAcknowledgedAsync(1);

        var request = Assert.Single(receiver.Received);
        Assert.Equal(message.Id.ToString(), request.Id);
        Assert.InRange(long.Parse(request.Timestamp!, System.Globalization.CultureInfo.InvariantCulture), now.ToUnixTimeSeconds() - 60, now.ToUnixTimeSeconds() + 60);
        var headers = new HeaderDictionary { ["webhook-id"] = request.Id, ["webhook-timestamp"] = request.Timestamp, ["webhook-signature"] = request.Signature };
        new StandardWebhooks.StandardWebhook(secret).Verify(request.Body, headers);
        Assert.True(WebhookReceiver.SignatureHolds(request, secret));
        Assert.False(WebhookReceiver.SignatureHolds(request with { Body = request.Body.Replace("signed", "forged", StringComparison.Ordinal) }, secret));
        Assert.False(WebhookReceiver.SignatureHolds(request, WebhookSignature.NewSecret()));

        var body = JsonNode.Parse(request.Body)!.AsObject();
        Assert.Equal(WebhookEventTypes.CycleClosed, (string?)body["type"]);
        Assert.Equal("signed", (string?)body["data"]!["name"]);
        // The receiver has answered before the delivery loop commits what it heard: wait for the commit, then read it.
        var deliveries = await Eventually.Until(
            () => api.DeliveriesAsync(endpoint), d => d.Count > 0 && (string?)d[0]!["status"] != "pending", "the delivery's outcome committed");
        var delivery = Assert.Single(deliveries)!;
        Assert.Equal(("delivered", message.Id.ToString()), ((string)delivery["status"]!, (string)delivery["webhookId"]!));
        var attempt = Assert.Single(delivery["attempts"]!.AsArray())!;
        Assert.Equal(("scheduled", 200), ((string)attempt["trigger"]!, (int)attempt["statusCode"]!));
    }

    [Fact]
    public async Task A_change_that_rolls_back_sends_nothing()
    {
        Environment.StartBudget(null, Fast);
        var api = Environment.StartApi().Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        await api.RegisterAsync(receiver.Url, [WebhookEventTypes.CycleClosed, WebhookEventTypes.BudgetLevelChanged], tenantId: "acme");
        var now = DateTimeOffset.UtcNow;
        var rolledBack = WebhookHarness.Message("rolled-back", now);
        var command = Command("acme", now);

        // An event of its own, and the budget saga saving a level change: both inside a transaction that rolls back.
        await using (var connection = await Environment.Database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await WebhookOutbox.EnqueueAsync(connection, [rolledBack], now, CancellationToken.None);
            var decision = new ThrottleOutcome(new SagaState("acme", new DateOnly(2026, 12, 1), ThrottleLevel.Block, 1), 200m, command);
            await SagaStore.SaveAsync(connection, decision, 150m, new BudgetTerms(100m), now, CancellationToken.None);
            await using var inside = new Npgsql.NpgsqlCommand("SELECT count(*) FROM webhook_deliveries", connection);
            Assert.Equal(2L, await inside.ExecuteScalarAsync());
            await transaction.RollbackAsync();
        }

        // Deliveries go out oldest first: once one enqueued after them arrives, they would have arrived before it.
        var committed = WebhookHarness.Message("committed", now);
        await Environment.EnqueueAsync(now, committed);
        await receiver.WaitForAcknowledgedAsync(1);

        Assert.Equal([committed.Id.ToString()], receiver.Received.Select(r => r.Id));
        Assert.Equal(1L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_events"));
        Assert.Equal(0L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Two_delivery_loops_share_the_work_and_send_each_event_once_to_each_endpoint()
    {
        Environment.StartBudget(null, Fast);
        Environment.StartBudget(null, Fast);
        var api = Environment.StartApi().Admin();
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        await api.RegisterAsync(first.Url, CycleClosed);
        await api.RegisterAsync(second.Url, CycleClosed, tenantId: "acme");
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(1, 60).Select(i => WebhookHarness.Message($"shared-{i}", now)).ToArray();

        await Task.WhenAll(events.Chunk(6).Select(chunk => Environment.EnqueueAsync(now, chunk)));
        await first.WaitForAcknowledgedAsync(events.Length);
        await second.WaitForAcknowledgedAsync(events.Length);

        foreach (var receiver in new[] { first, second })
        {
            Assert.Equal(events.Length, receiver.Received.Count);
            Assert.All(receiver.Acknowledged.Values, count => Assert.Equal(1, count));
        }

        // A receiver has acknowledged before the loop commits its attempts: wait for the commit, then count them.
        var attempts = await Eventually.Until(
            () => Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_attempts"), n => n >= 2L * events.Length, "every attempt logged");
        Assert.Equal(2L * events.Length, attempts);
    }

    [Fact]
    public async Task Events_sent_while_the_receiver_is_down_arrive_later_once_each_with_every_attempt_logged()
    {
        var clock = MeteringEnvironment.ClockAt(Now);
        Environment.StartBudget(clock, Fast);
        var api = Environment.StartApi(clock).Admin();
        await using var receiver = await WebhookReceiver.StartAsync(listening: false);
        var (endpoint, secret) = await api.RegisterAsync(receiver.Url, CycleClosed);
        var events = Enumerable.Range(1, 3).Select(i => WebhookHarness.Message($"while-down-{i}", Now)).ToArray();

        await Environment.EnqueueAsync(Now, events);
        await Environment.WaitUntilAttemptedAsync(Now);                       // nothing listens: every first attempt failed
        await receiver.ListenAsync();
        var refusals = 2;
        receiver.Answer = () => Interlocked.Decrement(ref refusals) >= 0 ? 500 : 200;   // and then it answers 500 twice
        await StepUntilAsync(clock, TimeSpan.FromMinutes(1), () => Task.FromResult(receiver.Acknowledged.Count == events.Length));

        // Nothing more once delivered: an event enqueued later arrives alone.
        clock.Advance(TimeSpan.FromHours(2));
        await Environment.WaitUntilAttemptedAsync(clock.GetUtcNow());
        var later = WebhookHarness.Message("later", clock.GetUtcNow());
        await Environment.EnqueueAsync(clock.GetUtcNow(), later);
        await receiver.WaitForAcknowledgedAsync(events.Length + 1);
        Assert.All(receiver.Acknowledged.Values, count => Assert.Equal(1, count));
        Assert.Equal(events.Append(later).Select(e => e.Id.ToString()).Order(), receiver.Acknowledged.Keys.Order());
        Assert.Equal(events.Length + 3, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.True(WebhookReceiver.SignatureHolds(r, secret)));

        var log = (await api.DeliveriesAsync(endpoint)).Select(d => d!.AsObject()).Where(d => (string?)d["webhookId"] != later.Id.ToString()).ToList();
        Assert.All(log, d => Assert.Equal("delivered", (string?)d["status"]));
        var attempts = log.SelectMany(d => d["attempts"]!.AsArray().Select(a => a!.AsObject())).ToList();
        Assert.Equal(events.Length + events.Length + 2, attempts.Count);
        Assert.Equal(events.Length, attempts.Count(a => a["statusCode"] is null && ((string?)a["error"])?.Length > 0));
        Assert.Equal(2, attempts.Count(a => (int?)a["statusCode"] == 500));
        Assert.All(log, d => Assert.Equal(200, (int?)d["attempts"]!.AsArray()[^1]!["statusCode"]));
    }

    [Fact]
    public async Task An_endpoint_failing_for_24_hours_is_disabled_says_why_and_a_resend_still_works()
    {
        var clock = MeteringEnvironment.ClockAt(Now);
        Environment.StartBudget(clock, Fast);
        var api = Environment.StartApi(clock).Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = () => 500;
        var (endpoint, _) = await api.RegisterAsync(receiver.Url, CycleClosed);
        var doomed = WebhookHarness.Message("doomed", Now);

        await Environment.EnqueueAsync(Now, doomed);
        await Environment.WaitUntilAttemptedAsync(Now);
        Assert.Equal("enabled", (string?)(await api.EndpointAsync(endpoint))["state"]);
        await StepUntilAsync(clock, TimeSpan.FromMinutes(30), async () => (string?)(await api.EndpointAsync(endpoint))["state"] == "disabled");

        Assert.Equal(Now.AddHours(24), clock.GetUtcNow());
        var disabled = await api.EndpointAsync(endpoint);
        Assert.Contains("HTTP 500", (string?)disabled["disabledReason"], StringComparison.Ordinal);
        Assert.Equal(Now, DateTimeOffset.Parse((string)disabled["failingSince"]!, System.Globalization.CultureInfo.InvariantCulture));
        var failed = Assert.Single(await api.DeliveriesAsync(endpoint))!;
        Assert.Equal("failed", (string?)failed["status"]);
        var attempts = failed["attempts"]!.AsArray();
        Assert.Equal(receiver.Received.Count, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(500, (int?)a!["statusCode"]));
        Assert.Equal(Now.AddHours(24), DateTimeOffset.Parse((string)attempts[^1]!["attemptedAt"]!, System.Globalization.CultureInfo.InvariantCulture));

        receiver.Answer = () => 200;
        var resent = await (await api.PostAsync($"/v1/webhooks/{endpoint}/deliveries/{(long)failed["id"]!}/resend", null)).JsonAsync();

        Assert.Equal("delivered", (string?)resent["status"]);
        var resend = resent["attempts"]!.AsArray()[^1]!;
        Assert.Equal(("resend", 200), ((string)resend["trigger"]!, (int)resend["statusCode"]!));
        Assert.All(receiver.Received, r => Assert.Equal(doomed.Id.ToString(), r.Id));
        Assert.Equal(1, receiver.Acknowledged[doomed.Id.ToString()]);
        Assert.Equal("disabled", (string?)(await api.EndpointAsync(endpoint))["state"]);

        var enabled = await (await api.PutJsonAsync($"/v1/webhooks/{endpoint}", new { url = receiver.Url, eventTypes = CycleClosed, enabled = true })).JsonAsync();
        Assert.Equal("enabled", (string?)enabled["state"]);
        Assert.Null(enabled["failingSince"]);
    }

    [Fact]
    public async Task Deliveries_that_are_over_are_purged_after_the_retention_and_pending_ones_are_kept()
    {
        var clock = MeteringEnvironment.ClockAt(Now);
        Environment.StartBudget(clock, [.. Fast, ("Webhooks:Retention", "30.00:00:00")]);
        var api = Environment.StartApi(clock).Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        await api.RegisterAsync(receiver.Url, CycleClosed);
        var created = await (await api.PostJsonAsync("/v1/webhooks", new { url = receiver.Url + "/paused", eventTypes = CycleClosed, enabled = false })).JsonAsync();
        var old = WebhookHarness.Message("old", Now);

        await Environment.EnqueueAsync(Now, old);
        await receiver.WaitForAcknowledgedAsync(1);
        clock.Advance(TimeSpan.FromDays(29));
        await Environment.WaitUntilAttemptedAsync(clock.GetUtcNow());
        Assert.Equal(1L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'"));
        clock.Advance(TimeSpan.FromDays(2));

        await Eventually.Until(
            () => Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'"), n => n == 0, "the delivered delivery purged");
        Assert.Equal(0L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_attempts"));
        var kept = await Environment.Database.ScalarAsync<Guid>("SELECT endpoint_id FROM webhook_deliveries WHERE status = 'pending'");
        Assert.Equal(Guid.Parse((string)created["id"]!), kept);
        Assert.Equal(1L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_events"));
    }

    /// <summary>Moves the clock by <paramref name="step"/> until <paramref name="done"/>, letting the delivery loop attempt what came due at each step.</summary>
    private async Task StepUntilAsync(FakeTimeProvider clock, TimeSpan step, Func<Task<bool>> done, int steps = 200)
    {
        for (var i = 0; i < steps; i++)
        {
            if (await done())
            {
                return;
            }

            clock.Advance(step);
            await Environment.WaitUntilAttemptedAsync(clock.GetUtcNow());
        }

        Assert.Fail($"not done after {steps} steps of {step}, at {clock.GetUtcNow():O}");
    }

    private static ThrottleCommand Command(string tenantId, DateTimeOffset now) => new()
    {
        CommandId = MessageIds.ThrottleCommand(tenantId, "2026-12-01", 1),
        TenantId = tenantId,
        Cycle = "2026-12-01",
        Level = ThrottleLevel.Block,
        RequestRateFactor = 0,
        Reason = "spend to date 150.00 ≥ 100% of budget 100.00",
        SpendToDate = "150.00",
        ProjectedSpend = "200.00",
        Budget = "100.00",
        Sequence = 1,
        IssuedAt = now,
        ExpiresAt = now.AddDays(30),
    };
}
