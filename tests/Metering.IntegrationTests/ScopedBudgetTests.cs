using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Testing;
using Metering.Throttling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// Budgets on a scope (SPEC §15) through the real pipeline: usage drives the real saga to throttle one service, one
/// attribute value, per day; a plain AMQP consumer reads the commands; the clock, shared by every service, is moved by
/// the test. Events happen five minutes before now, less than the hour of history the projection needs, so projected
/// spend is actual spend and each level follows from the sums.
/// </summary>
public sealed class ScopedBudgetTests : MeteringTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Midnight = new(2026, 11, 12, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider clock = MeteringEnvironment.ClockAt(Now);

    /// <summary>gpt-4o input at 2.5 per 1M: <paramref name="prompt"/> tokens cost prompt × 2.5 / 1M.</summary>
    private static string Event(string id, long prompt, string? service = null, string? feature = null) =>
        MeteringEnvironment.Json(Usage.Event(
            id, tenant: "acme", prompt: prompt, completion: 0, at: Now.AddMinutes(-5), service: service,
            attributes: feature is null ? null : new Dictionary<string, string> { ["feature"] = feature }));

    /// <summary>One scope's commands by sequence: with three instances relaying the outbox, two may arrive in either order.</summary>
    private static List<JsonObject> Of(ExchangeTap<(string? MessageId, JsonObject Body)> tap, string kind, string value) =>
        [.. BySequence(tap).Where(b => (string?)b["scope"]?["kind"] == kind && (string?)b["scope"]?["value"] == value)];

    [Fact]
    public async Task A_scoped_budget_crossed_issues_exactly_one_command_per_level_change_for_its_scope_under_redelivery_and_two_saga_instances()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock);
        Environment.StartBudget(clock);
        var api = Environment.StartApi(clock).Admin();
        await using var tap = await ThrottleTap.StartAsync(Environment.Vhost.Uri);
        await using var spend = await SpendUpdateTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        (await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "service", value = "agent-loop" }, period = "day", amount = "10" })).EnsureSuccessStatusCode();
        (await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "service", value = "support-bot" }, period = "day", amount = "10" })).EnsureSuccessStatusCode();

        // A burst: both saga instances see spend updates at once. agent-loop spends 40 × 2.75 = 110 of its 10; support-bot 0.10 of its 10.
        IEnumerable<string> Burst() => Enumerable.Range(0, 40).SelectMany(i => (string[])[Event($"a{i}", 1_100_000, service: "agent-loop"), Event($"s{i}", 1_000, service: "support-bot")]);
        await Task.WhenAll(Burst().Select(body => raw.PublishAsync(body)));
        await Eventually.Until(() => Task.FromResult(Of(tap, "service", "agent-loop")), c => c.Count > 0 && (string?)c[^1]["level"] == "block", "a block command for agent-loop");
        await Environment.WaitForAsync(entries: 80);
        var updatesBefore = spend.Received.Count;
        var beforeStorm = tap.Received.Count;

        // The same events again, and so the same spend updates again, in a storm: nothing new to decide.
        await Task.WhenAll(Burst().Select(body => raw.PublishAsync(body)));
        await Eventually.Until(() => Task.FromResult(spend.Received.Count), n => n > updatesBefore, "spend updates republished for the duplicates");

        // A change that must produce exactly one more command proves that nothing else came before it.
        var id = (string)(await api.GetFromJsonAsync<JsonArray>("/v1/tenants/acme/budgets"))!.Single(b => (string?)b!["scope"]!["value"] == "agent-loop")!["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v1/tenants/acme/budgets/{id}")).StatusCode);
        var commands = await Eventually.Until(() => Task.FromResult(Of(tap, "service", "agent-loop")), c => (string?)c[^1]["level"] == "normal", "the command lifting agent-loop");

        Assert.Equal(beforeStorm + 1, tap.Received.Count);
        Assert.Equal(tap.Received.Count, commands.Count);                                   // support-bot and the tenant: nothing
        Assert.Equal(Enumerable.Range(1, commands.Count).Select(i => (long)i), commands.Select(c => (long)c["sequence"]!));
        Assert.All(commands.Zip(commands.Skip(1)), pair => Assert.NotEqual((string?)pair.First["level"], (string?)pair.Second["level"]));
        Assert.Equal(commands.Count, tap.Received.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(commands.Count, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM throttle_commands WHERE scope_kind = 'service' AND scope_value = 'agent-loop'"));
        Assert.Equal(commands.Count, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM throttle_commands"));

        var block = commands[^2];
        Assert.Equal(("day", "2026-11-01", "0"), ((string)block["period"]!, (string)block["cycle"]!, block["requestRateFactor"]!.ToString()));
        Assert.Equal("service agent-loop per day: spend to date 110.00 ≥ 100% of budget 10.00", (string?)block["reason"]);
        Assert.Equal(Midnight, DateTimeOffset.Parse((string)block["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_daily_budget_blocks_its_service_until_midnight_UTC_and_the_new_day_lifts_it()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock, ("Budget:TickInterval", "00:00:05"));
        var api = Environment.StartApi(clock).Admin();
        await using var tap = await ThrottleTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        var created = await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "service", value = "agent-loop" }, period = "day", amount = "5.00" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();

        await raw.PublishAsync(Event("big", 4_000_000, service: "agent-loop"));           // 10.00 of 5.00
        await raw.PublishAsync(Event("other", 4_000_000, service: "search"));              // no budget on search
        await tap.WaitForLevelsAsync("block");

        var budget = await Eventually.Until(() => api.GetJsonAsync(location), b => (string?)b["level"] == "block", "the budget's level in the API");
        Assert.Equal(("10", "10", "5", "2026-11-11"), ((string)budget["spendToDate"]!, (string)budget["projectedSpend"]!, (string)budget["amount"]!, (string)budget["periodStart"]!));
        var throttles = await api.GetFromJsonAsync<List<ThrottleCommand>>("/v1/throttles", MeteringJson.Options);
        var served = Assert.Single(throttles!);
        Assert.Equal((new BudgetScope(ScopeKind.Service, "agent-loop"), BudgetPeriod.Day, ThrottleLevel.Block), (served.Scope, served.Period, served.Level));
        var dashboard = await api.GetJsonAsync("/v1/tenants/acme/dashboard");
        var shown = Assert.Single(dashboard["budgets"]!.AsArray())!;
        Assert.Equal(("agent-loop", "day", "block", "10"), ((string)shown["scope"]!["value"]!, (string)shown["period"]!, (string)shown["level"]!, (string)shown["spendToDate"]!));
        Assert.Equal("service", (string?)dashboard["commands"]![0]!["scope"]!["kind"]);

        clock.SetUtcNow(Midnight.AddSeconds(30));                                           // a new day; the tick notices
        await tap.WaitForLevelsAsync("block", "normal");
        var newDay = tap.Received.Last().Body;
        Assert.Equal("service agent-loop per day: new day 2026-11-12", (string?)newDay["reason"]);
        Assert.Equal(2L, (long)newDay["sequence"]!);
        Assert.Equal(Midnight.AddDays(1), DateTimeOffset.Parse((string)newDay["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_attribute_budget_counts_the_cycles_earlier_usage_then_only_events_with_that_value_and_not_what_is_reversed()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock);
        var api = Environment.StartApi(clock).Admin();
        await using var tap = await ThrottleTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(Event("chat-1", 1_000_000, feature: "chat"));                // 2.50 each
        await raw.PublishAsync(Event("chat-2", 1_000_000, feature: "chat"));
        await raw.PublishAsync(Event("search-1", 1_000_000, feature: "search"));
        await raw.PublishAsync(Event("plain-1", 1_000_000));
        await Environment.WaitForAsync(entries: 4);

        // Created after the usage: the backfill counts 5.00 of 6.00 → warn (80 %).
        var created = await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "attribute", value = "feature=chat" }, amount = "6" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await tap.WaitForLevelsAsync("warn");

        await raw.PublishAsync(Event("search-2", 1_000_000, feature: "search"));           // not chat: nothing
        await raw.PublishAsync(Event("chat-3", 1_000_000, feature: "chat"));                // 7.50 of 6.00 → block
        await tap.WaitForLevelsAsync("warn", "block");
        await Environment.WaitForAsync(entries: 6);

        var block = tap.Received.Last().Body;
        Assert.Equal(("attribute", "feature=chat", "cycle"), ((string)block["scope"]!["kind"]!, (string)block["scope"]!["value"]!, (string)block["period"]!));
        Assert.Equal("7.50", (string?)block["spendToDate"]);
        Assert.Equal(7.5m, await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM attribute_minute_usage WHERE attribute_key = 'feature' AND attribute_value = 'chat'"));
        Assert.Equal(0L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM attribute_minute_usage WHERE attribute_value <> 'chat'"));   // only the values budgets name

        // A reversed chat entry comes out of the attribute's minutes too: 5.00 of 6.00, back to warn.
        var chat3 = await Environment.Database.ScalarAsync<long>("SELECT id FROM ledger_entries WHERE event_id = 'chat-3'");
        (await api.PostJsonAsync($"/v1/tenants/acme/ledger/{chat3}/reverse", new { reason = "billed by mistake" })).EnsureSuccessStatusCode();
        await tap.WaitForLevelsAsync("warn", "block", "warn");
        Assert.Equal(5m, await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM attribute_minute_usage WHERE attribute_key = 'feature' AND attribute_value = 'chat'"));

        // The last budget naming the key: its rollup stops and its throttle lifts.
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync(created.Headers.Location)).StatusCode);
        await tap.WaitForLevelsAsync("warn", "block", "warn", "normal");
        Assert.Equal(0L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM attribute_minute_usage"));
        Assert.Equal(0, await Environment.Database.ScalarAsync<int>("SELECT cardinality(budget_attributes) FROM tenants WHERE tenant_id = 'acme'"));
    }

    [Fact]
    public async Task An_attribute_budget_created_while_its_events_are_metered_counts_each_of_them_once()
    {
        Environment.StartWorker(clock);
        var api = Environment.StartApi(clock).Admin();
        var raw = await Environment.RawPublisherAsync();

        // The backfill and the batches in flight meet under the tenant row's lock: every event is in the backfill or
        // in its batch's own rollup, never both, never neither.
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                await raw.PublishAsync(Event($"chat-{i}", 10_000 + i, feature: i % 3 == 0 ? "search" : "chat"));
            }
        });
        await Eventually.Until(() => Environment.LedgerCountAsync(), n => n > 0, "the first events metered");
        var created = await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "attribute", value = "feature=chat" }, amount = "1000" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.InRange(await Environment.LedgerCountAsync(), 1, 299);      // created mid-stream: both paths count
        await publishing;
        await Environment.WaitForAsync(entries: 300);

        var ledger = await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries WHERE attributes ->> 'feature' = 'chat'");
        var minutes = await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM attribute_minute_usage WHERE attribute_key = 'feature' AND attribute_value = 'chat'");
        var events = await Environment.Database.ScalarAsync<long>("SELECT sum(events) FROM attribute_minute_usage");
        Assert.Equal((ledger, 200L), (minutes, events));
    }

    [Fact]
    public async Task The_throttling_client_limits_only_the_requests_a_scoped_budget_covers()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock);
        var apiInstance = Environment.StartApi(clock);
        var api = apiInstance.Admin();
        var raw = await Environment.RawPublisherAsync();
        await api.PutJsonAsync("/v1/tenants/acme/budget", new { amount = "1000" });
        await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "service", value = "agent-loop" }, period = "day", amount = "1" });
        await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "model", value = "openai/gpt-4o" }, amount = "100" });
        await raw.PublishAsync(Event("big", 1_000_000, service: "agent-loop"));             // 2.50: agent-loop blocked, the rest normal
        await Eventually.Until(
            async () => (await api.GetFromJsonAsync<List<ThrottleCommand>>("/v1/throttles", MeteringJson.Options))!,
            c => c.Any(t => t.Level == ThrottleLevel.Block),
            "the scoped block served by the API");

        await using var provider = await StartThrottlingClientAsync(apiInstance);
        var listener = provider.GetRequiredService<ThrottleListener>();
        var limiter = provider.GetRequiredService<PartitionedRateLimiter<ThrottleRequest>>();

        Assert.False(limiter.AttemptAcquire(new ThrottleRequest("acme", Service: "agent-loop", Provider: "openai", Model: "gpt-4o")).IsAcquired);
        Assert.True(limiter.AttemptAcquire(new ThrottleRequest("acme", Service: "support-bot", Provider: "openai", Model: "gpt-4o")).IsAcquired);
        Assert.True(limiter.AttemptAcquire(new ThrottleRequest("acme")).IsAcquired);
        Assert.True(provider.GetRequiredService<PartitionedRateLimiter<string>>().AttemptAcquire("acme").IsAcquired);

        // Raised: the live command reaches the limiter.
        var id = (string)(await api.GetFromJsonAsync<JsonArray>("/v1/tenants/acme/budgets"))!.Single(b => (string?)b!["scope"]!["kind"] == "service")!["id"]!;
        (await api.PutJsonAsync($"/v1/tenants/acme/budgets/{id}", new { amount = "1000" })).EnsureSuccessStatusCode();
        await Eventually.Until(
            () => Task.FromResult(limiter.AttemptAcquire(new ThrottleRequest("acme", Service: "agent-loop")).IsAcquired), ok => ok, "the raised budget to reach the limiter");
        await listener.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_daily_tenant_budget_throttles_the_whole_tenant_beside_its_cycle_budget_on_one_sequence_and_resets_at_midnight()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock, ("Budget:TickInterval", "00:00:05"));
        var apiInstance = Environment.StartApi(clock);
        var api = apiInstance.Admin();
        await using var tap = await ThrottleTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        (await api.PutJsonAsync("/v1/tenants/acme/budget", new { amount = "12" })).EnsureSuccessStatusCode();
        var daily = new { scope = new { kind = "tenant" }, period = "day", amount = "5" };
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/v1/tenants/acme/budgets", daily)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostJsonAsync("/v1/tenants/acme/budgets", daily)).StatusCode);
        var perCycle = await api.PostJsonAsync("/v1/tenants/acme/budgets", new { scope = new { kind = "tenant" }, amount = "5" });
        Assert.Contains("/budget", (string)(await perCycle.ProblemAsync(400))["errors"]!["period"]![0]!, StringComparison.Ordinal);

        // 10.00 in one event: 83 % of the cycle's 12 (warn), 200 % of the day's 5 (block); one evaluation decides both
        await raw.PublishAsync(Event("big", 4_000_000, service: "search"));
        var (own, day) = await Eventually.Until(() => Task.FromResult(BySequence(tap)), c => c.Count >= 2, "the two commands").ContinueWith(t => (t.Result[0], t.Result[1]));
        Assert.Equal(("warn", "block"), ((string?)own["level"], (string?)day["level"]));
        Assert.Equal((1L, false, false), ((long)own["sequence"]!, own.ContainsKey("scope"), own.ContainsKey("period")));
        Assert.Equal((2L, "tenant", "day"), ((long)day["sequence"]!, (string)day["scope"]!["kind"]!, (string)day["period"]!));
        Assert.Equal("tenant per day: spend to date 10.00 ≥ 100% of budget 5.00", (string?)day["reason"]);
        Assert.Equal(Midnight, DateTimeOffset.Parse((string)day["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM throttle_commands WHERE scope_kind = 'tenant'"));

        // The client: the daily block covers every request of the tenant, whatever its service; nobody else's.
        await using var provider = await StartThrottlingClientAsync(apiInstance);
        var limiter = provider.GetRequiredService<PartitionedRateLimiter<ThrottleRequest>>();
        var byTenant = provider.GetRequiredService<PartitionedRateLimiter<string>>();
        Assert.False(limiter.AttemptAcquire(new ThrottleRequest("acme", Service: "support-bot")).IsAcquired);
        Assert.False(byTenant.AttemptAcquire("acme").IsAcquired);
        Assert.True(byTenant.AttemptAcquire("globex").IsAcquired);
        var overview = await api.GetFromJsonAsync<JsonArray>("/v1/dashboard/tenants");
        var acme = overview!.Single(t => (string?)t!["tenantId"] == "acme")!;
        Assert.Equal(("warn", "block", 1), ((string)acme["throttleLevel"]!, (string)acme["scopedLevel"]!, (int)acme["throttledScopes"]!));

        // A new day lifts the daily block. The cycle budget, with 12 hours of history now, projects its rate to the end
        // of the cycle: slowdown. Decided in one evaluation, on one sequence.
        clock.SetUtcNow(Midnight.AddSeconds(30));
        var commands = await Eventually.Until(() => Task.FromResult(BySequence(tap)), c => c.Count >= 4, "the commands of the new day");
        Assert.Equal(["warn", "block", "slowdown", "normal"], commands.Select(c => (string?)c["level"]));
        Assert.Equal((3L, false), ((long)commands[2]["sequence"]!, commands[2].ContainsKey("scope")));
        Assert.Equal(("tenant per day: new day 2026-11-12", 4L), ((string?)commands[3]["reason"], (long)commands[3]["sequence"]!));
        var book = provider.GetRequiredService<ThrottleBook>();
        await Eventually.Until(() => Task.FromResult(book.For("acme")?.Level), l => l == ThrottleLevel.Slowdown, "the client to hold the cycle's slowdown, the day lifted");
        await provider.GetRequiredService<ThrottleListener>().StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// The commands received, by sequence: the outbox relays of several instances may publish two commands of one
    /// evaluation in either order (the client orders them by sequence per scope and period, SPEC §8).
    /// </summary>
    private static List<JsonObject> BySequence(ExchangeTap<(string? MessageId, JsonObject Body)> tap) =>
        [.. tap.Received.Select(r => r.Body).OrderBy(b => (long)b["sequence"]!)];

    /// <summary>The throttling client as a service would run it: bootstrapped from the API, then the live commands.</summary>
    private async Task<ServiceProvider> StartThrottlingClientAsync(ApiInstance apiInstance)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock);
        services.AddMeteringThrottling(options =>
        {
            options.RabbitMq = Environment.Vhost.Uri;
            options.Api = new Uri("http://localhost/");
            options.ApiKey = ApiInstance.AdminKey;
        });
        services.AddHttpClient(nameof(ThrottleListener)).ConfigurePrimaryHttpMessageHandler(() => apiInstance.Server.CreateHandler());
        var provider = services.BuildServiceProvider();
        var listener = provider.GetRequiredService<ThrottleListener>();
        await listener.StartAsync(CancellationToken.None);
        await listener.Ready;
        return provider;
    }
}
