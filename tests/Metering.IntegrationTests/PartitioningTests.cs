using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Ledger;
using Metering.Ledger.Partitions;
using Metering.Ledger.Writing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Metering.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// The ledger partitioned by cycle (SPEC §16): a partition per month of cycle starts, made ahead by the worker; an
/// event billed once per tenant whatever partition its occurredAt would put it in; nothing refused for want of a
/// partition.
/// </summary>
public sealed class PartitioningTests : MeteringTest
{
    private static readonly DateTimeOffset JustAfterNovember = new(2026, 11, 1, 0, 10, 0, TimeSpan.Zero);

    private Task<string> PartitionOfAsync(string eventId) =>
        Environment.Database.ScalarAsync<string>($"SELECT tableoid::regclass::text FROM ledger_entries WHERE event_id = '{eventId}'");

    [Fact]
    public async Task The_ledger_is_partitioned_by_month_of_cycle_and_the_worker_makes_the_months_around_its_clock()
    {
        var clock = MeteringEnvironment.ClockAt(new DateTimeOffset(2031, 5, 20, 12, 0, 0, TimeSpan.Zero));
        Environment.StartWorker(clock);

        var months = await Eventually.Until(
            () => Environment.Database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'ledger_entries'::regclass AND inhrelid::regclass::text BETWEEN 'ledger_entries_2031_03' AND 'ledger_entries_2031_08'"),
            n => n == 6,
            "the months from March to August 2031");

        Assert.Equal(6, months);
        Assert.Equal("p", await Environment.Database.ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE relname = 'ledger_entries'"));
        var raw = await Environment.RawPublisherAsync();
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("may", at: clock.GetUtcNow().AddMinutes(-1))));
        await Environment.WaitForAsync(entries: 1);
        Assert.Equal("ledger_entries_2031_05", await PartitionOfAsync("may"));
    }

    [Fact]
    public async Task The_same_event_id_across_a_cycle_boundary_is_billed_once_in_the_cycle_it_first_came_in()
    {
        var clock = MeteringEnvironment.ClockAt(JustAfterNovember);
        Environment.StartWorker(clock);
        await using var spend = await SpendUpdateTap.StartAsync(Environment.Vhost.Uri);
        var raw = await Environment.RawPublisherAsync();

        // October's last minute, then the same id in November's first: a retried call whose clock moved on
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("retried", at: JustAfterNovember.AddMinutes(-11))));
        await Environment.WaitForAsync(entries: 1);
        var updates = await Eventually.Until(() => Task.FromResult(spend.Received.Count), n => n > 0, "the first delivery's spend update");
        await raw.PublishAsync(MeteringEnvironment.Json(Usage.Event("retried", at: JustAfterNovember.AddMinutes(-5), prompt: 9_999)));
        await Eventually.Until(() => Task.FromResult(spend.Received.Count), n => n > updates, "the duplicate's republished spend update");

        Assert.Equal(1L, await Environment.LedgerCountAsync());
        Assert.Equal("2026-10-01", (await Environment.Database.ScalarAsync<DateOnly>("SELECT cycle FROM ledger_entries")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ledger_entries_2026_10", await PartitionOfAsync("retried"));
        Assert.Equal(1_000L, await Environment.Database.ScalarAsync<long>("SELECT prompt_tokens FROM ledger_entries"));
        Assert.Equal(1L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM event_keys WHERE event_id = 'retried'"));
        Assert.Equal(0L, await Environment.RejectedCountAsync());
    }

    [Fact]
    public async Task An_entry_whose_month_has_no_partition_waits_in_the_default_one_and_moves_into_its_month_when_made()
    {
        await using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddLedger(Environment.Database.ConnectionString).BuildServiceProvider();
        var far = new DateTimeOffset(2033, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var stream = Usage.MixedStream(40, "far").Select(e => e with { OccurredAt = far.AddMinutes(-1) }).ToList();
        var messages = stream.Chunk(10).Select(chunk => IncomingMessage.Read(JsonSerializer.SerializeToUtf8Bytes(chunk, MeteringJson.Options), far)).ToList();
        await services.GetRequiredService<MeteringTransaction>().CommitAsync(messages, new MeteringRules(TimeSpan.FromHours(72)), far);
        var before = await Environment.CostsByEventAsync();
        Assert.Equal(40L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries_default"));

        var created = await services.GetRequiredService<LedgerPartitions>().EnsureAsync(far, CancellationToken.None);

        Assert.Equal(6, created);                                                   // January to June 2033
        Assert.Equal(0L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries_default"));
        Assert.Equal(40L, await Environment.Database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries_2033_03"));
        Assert.Equal(before, await Environment.CostsByEventAsync());
        Assert.Equal(0, await services.GetRequiredService<LedgerPartitions>().EnsureAsync(far, CancellationToken.None));
    }
}
