using System.Text;
using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Pricing.Usage;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>Bad input is rejected with a reason and kept, never lost, never billed, never stalling the consumer (SPEC §7).</summary>
public sealed class RejectionTests : MeteringTest
{
    [Fact]
    public async Task In_a_batch_of_good_invalid_and_malformed_events_the_good_are_billed_and_the_bad_kept_with_reasons()
    {
        Environment.StartWorker();
        var raw = await Environment.RawPublisherAsync();
        var good = Usage.Event("good-1");
        var array = $$"""
            [ {{MeteringEnvironment.Json(Usage.Event("good-2"))}},
              {"eventId": "no-tokens", "tenantId": "acme", "provider": "openai", "model": "gpt-4o", "occurredAt": "2026-11-29T12:00:00Z"},
              {{MeteringEnvironment.Json(Usage.Event("unknown", model: "gpt-9"))}},
              "not an event",
              {{MeteringEnvironment.Json(Usage.Event("good-3"))}} ]
            """;

        await raw.PublishAsync(MeteringEnvironment.Json(good));
        await raw.PublishAsync("{\"eventId\": \"truncated\", \"tenantId\": ");
        await raw.PublishAsync(array);
        await raw.PublishAsync(new byte[] { 0xFF, 0x00, 0x13, 0x37 });
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("good-4")));

        await Environment.WaitForAsync(entries: 4, rejected: 5);
        var rejected = await Environment.Database.QueryAsync(
            "SELECT code, message, event_id, position, raw FROM rejected_events ORDER BY id",
            r => (Code: r.GetString(0), Message: r.GetString(1), EventId: r.IsDBNull(2) ? null : r.GetString(2), Position: r.GetInt32(3), Raw: (byte[])r[4]));

        Assert.Equal(["good-1", "good-2", "good-3", "good-4"], (await Environment.CostsByEventAsync("acme")).Keys.Order());
        Assert.Equal(
            [(RejectionCodes.Invalid, null, 3), (RejectionCodes.Invalid, "no-tokens", 1), (RejectionCodes.Malformed, null, 0), (RejectionCodes.Malformed, null, 0), (RejectionCodes.UnknownModel, "unknown", 2)],
            rejected.Select(r => (r.Code, r.EventId, r.Position)).OrderBy(r => r.Code).ThenBy(r => r.EventId).ThenBy(r => r.Position));
        Assert.Contains(rejected, r => r.Message.Contains("promptTokens is required", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Message.Contains("gpt-9", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Raw.SequenceEqual(new byte[] { 0xFF, 0x00, 0x13, 0x37 }));
        Assert.Contains(rejected, r => Encoding.UTF8.GetString(r.Raw) == "\"not an event\"");
    }

    [Fact]
    public async Task Hostile_input_never_stops_the_consumer()
    {
        Environment.StartWorker();
        var raw = await Environment.RawPublisherAsync();
        string[] hostile =
        [
            new string('[', 10_000) + new string(']', 10_000),
            $$"""{"eventId": "{{new string('x', 2_000_000)}}"}""",
            """{"eventId": "nul\u0000", "tenantId": "acme", "provider": "openai", "model": "gpt-4o", "promptTokens": 1, "completionTokens": 1, "occurredAt": "2026-11-29T12:00:00Z"}""",
            """{"eventId": "surrogate", "tenantId": "acme", "provider": "openai\ud800", "model": "gpt-4o", "promptTokens": 1, "completionTokens": 1, "occurredAt": "2026-11-29T12:00:00Z"}""",
            """{"eventId": "huge", "tenantId": "acme", "provider": "openai", "model": "gpt-4o", "promptTokens": 1e400, "completionTokens": 1, "occurredAt": "2026-11-29T12:00:00Z"}""",
            """{"eventId": "k\ud800ey", "tenantId": "acme"}""",
            "[" + string.Join(",", Enumerable.Repeat("{}", 1_001)) + "]",
            "null",
            "",
        ];

        foreach (var body in hostile)
        {
            await raw.PublishAsync(body);
        }

        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("still-alive")));

        await Environment.WaitForAsync(entries: 1, rejected: hostile.Length);
        Assert.Equal(["still-alive"], (await Environment.CostsByEventAsync("acme")).Keys);
        Assert.Equal(hostile.Length, await Environment.RejectedCountAsync());
    }

    [Fact]
    public async Task Late_and_future_events_are_rejected_against_the_consumers_clock()
    {
        // Five days into December: November closed at 2026-12-04T00:00Z, after 72 h of grace.
        var clock = MeteringEnvironment.ClockAt(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        Environment.StartWorker(clock);
        var raw = await Environment.RawPublisherAsync();

        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("late", at: new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero))));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("future", at: clock.GetUtcNow().AddMinutes(6))));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("soon", at: clock.GetUtcNow().AddMinutes(4))));
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("yesterday", at: clock.GetUtcNow().AddDays(-1))));

        await Environment.WaitForAsync(entries: 2, rejected: 2);
        var rejected = await Environment.Database.QueryAsync("SELECT event_id, code FROM rejected_events ORDER BY event_id", r => (r.GetString(0), r.GetString(1)));
        Assert.Equal([("future", RejectionCodes.FutureTimestamp), ("late", RejectionCodes.CycleClosed)], rejected);
        Assert.Equal(["2026-12-01"], await Environment.Database.QueryAsync("SELECT DISTINCT cycle::text FROM ledger_entries", r => r.GetString(0)));
    }

    [Fact]
    public async Task The_grace_period_is_configurable()
    {
        var clock = MeteringEnvironment.ClockAt(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        Environment.StartWorker(clock, ("Metering:GracePeriod", "5.00:00:00"));
        var raw = await Environment.RawPublisherAsync();

        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("late-but-in-grace", at: new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero))));

        await Environment.WaitForAsync(entries: 1);
        Assert.Equal("2026-11-01", await Environment.Database.ScalarAsync<string>("SELECT cycle::text FROM ledger_entries"));
    }
}
