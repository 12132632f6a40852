using System.Net.Http.Json;
using Metering.IntegrationTests.Harness;
using Metering.Testing;
using Metering.Throttling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// Spend becomes action (SPEC §8): usage through the real pipeline drives the real saga to publish throttle commands,
/// read by a plain AMQP consumer; the clock, shared by every service, is moved by the test.
/// </summary>
public sealed class BudgetSagaTests : MeteringTest
{
    // Ten days into November: 20 days (480 h) remain. Usage is gpt-4o input at 2.5 per 1M; with a 24 h window, each
    // token of the window projects 20 more, so projected spend = spend + window tokens × 20 × 2.5 / 1M.
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider clock = MeteringEnvironment.ClockAt(Now);

    [Fact]
    public async Task Climbing_usage_is_warned_slowed_and_blocked_then_relaxed_by_a_budget_raise_and_the_next_cycle()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock, ("Budget:TickInterval", "00:00:05"));
        var api = Environment.StartApi(clock).Admin();
        await using var tap = await ThrottleTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "100" });
        var n = 0;
        Task Use(long tokens) => raw.PublishAsync(MeteringEnvironment.Json(Usage.Event($"u{n++}", tenant: "runaway", prompt: tokens, completion: 0, at: Now.AddHours(-2))));

        await Use(1_700_000);                                    // spend 4.25, projected 89.25: warn
        await tap.WaitForLevelsAsync("warn");
        await Use(400_000);                                      // spend 5.25, projected 110.25: slowdown
        await tap.WaitForLevelsAsync("warn", "slowdown");
        await Use(40_000_000);                                   // spend 105.25: block
        await tap.WaitForLevelsAsync("warn", "slowdown", "block");

        var block = tap.Received.Last().Body;
        Assert.Equal(("runaway", "2026-11-01", "0"), ((string)block["tenantId"]!, (string)block["cycle"]!, block["requestRateFactor"]!.ToString()));
        Assert.Equal("spend to date 105.25 ≥ 100% of budget 100.00", (string?)block["reason"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)block["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(tap.Received.Last().MessageId, (string?)block["commandId"]);

        var summary = await api.GetJsonAsync("/v1/tenants/runaway/cycles/current");
        Assert.Equal("block", (string?)summary["throttleLevel"]);
        Assert.True(summary["projectedSpend"].Money() > 105m);

        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "100000" });   // raised: relaxes at once
        await tap.WaitForLevelsAsync("warn", "slowdown", "block", "normal");
        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "100" });      // lowered again: block
        await tap.WaitForLevelsAsync("warn", "slowdown", "block", "normal", "block");

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 30, TimeSpan.Zero));        // a new cycle; the tick notices
        await tap.WaitForLevelsAsync("warn", "slowdown", "block", "normal", "block", "normal");
        var december = tap.Received.Last().Body;
        Assert.Equal("2026-12-01", (string?)december["cycle"]);
        Assert.Equal([1L, 2, 3, 4, 5, 6], tap.Received.Select(r => (long)r.Body["sequence"]!));
    }

    [Fact]
    public async Task A_redelivered_spend_update_and_a_second_saga_instance_issue_no_extra_command()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock);
        Environment.StartBudget(clock);
        var api = Environment.StartApi(clock).Admin();
        await using var tap = await ThrottleTap.StartAsync(Environment.Vhost.Uri);
        await using var spend = await SpendUpdateTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();
        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "100" });

        // Many commits in a burst: both saga instances see spend updates at once.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            raw.PublishAsync(MeteringEnvironment.Json(Usage.Event($"b{i}", tenant: "runaway", prompt: 1_100_000, completion: 0, at: Now.AddHours(-2))))));
        await Eventually.Until(() => Task.FromResult(tap.Levels()), seen => seen.LastOrDefault() == "block", "a block command");
        var beforeStorm = tap.Received.Count;
        var updatesBefore = spend.Received.Count;

        // The same events again, and the same spend updates again, in a storm: nothing new to decide.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            raw.PublishAsync(MeteringEnvironment.Json(Usage.Event($"b{i}", tenant: "runaway", prompt: 1_100_000, completion: 0, at: Now.AddHours(-2))))));
        var republished = await Eventually.Until(() => Task.FromResult(spend.Received.ToArray()), r => r.Length > updatesBefore, "spend updates republished for the duplicates");
        Assert.All(republished[updatesBefore..], r => Assert.Contains(r.MessageId, republished[..updatesBefore].Select(o => o.MessageId)));

        // A change that must produce exactly one more command proves that nothing else came before it.
        await api.DeleteAsync("/v1/tenants/runaway/budget");
        var seen = await Eventually.Until(() => Task.FromResult(tap.Levels()), s => s.LastOrDefault() == "normal", "the command lifting the throttle");
        Assert.Equal(beforeStorm + 1, seen.Count);
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), tap.Received.Select(r => (long)r.Body["sequence"]!));
        Assert.Equal(seen.Count, tap.Received.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(seen.Count, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM throttle_commands"));
    }

    [Fact]
    public async Task The_throttling_client_bootstraps_from_the_api_and_follows_commands()
    {
        Environment.StartWorker(clock);
        Environment.StartBudget(clock);
        var apiInstance = Environment.StartApi(clock);
        var api = apiInstance.Admin();
        var raw = await Environment.RawPublisherAsync();
        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "1" });
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("big", tenant: "runaway", prompt: 1_000_000, completion: 0, at: Now.AddHours(-2))));
        await Eventually.Until(async () => (await api.GetFromJsonAsync<List<Metering.Contracts.ThrottleCommand>>("/v1/throttles", Metering.Contracts.MeteringJson.Options))!.Count, c => c == 1, "a command served by the API");

        // A platform service starting now: it learns the block from the API, then follows live commands.
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock);
        services.AddMeteringThrottling(options =>
        {
            options.RabbitMq = Environment.Vhost.Uri;
            options.Api = new Uri("http://localhost/");
            options.ApiKey = ApiInstance.AdminKey;
        });
        services.AddHttpClient(nameof(ThrottleListener)).ConfigurePrimaryHttpMessageHandler(() => apiInstance.Server.CreateHandler());
        await using var provider = services.BuildServiceProvider();
        var listener = provider.GetRequiredService<ThrottleListener>();
        await listener.StartAsync(CancellationToken.None);
        await listener.Ready;
        var limiter = provider.GetRequiredService<System.Threading.RateLimiting.PartitionedRateLimiter<string>>();

        Assert.False(limiter.AttemptAcquire("runaway").IsAcquired);
        Assert.True(limiter.AttemptAcquire("someone-else").IsAcquired);

        await api.PutJsonAsync("/v1/tenants/runaway/budget", new { amount = "1000000" });
        await Eventually.Until(() => Task.FromResult(limiter.AttemptAcquire("runaway").IsAcquired), ok => ok, "the raised budget to reach the limiter");
        await listener.StopAsync(CancellationToken.None);
    }
}
