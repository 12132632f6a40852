using System.Text.Json;
using Metering.Budget.Decisions;
using Metering.Budget.Saga;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Ledger;
using Metering.Ledger.Writing;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Metering.IntegrationTests;

/// <summary>
/// The saga's trailing window as PostgreSQL serves it (SPEC §15): from the minute usage the writer keeps, exact to the
/// minute, with the window's events and the time of its latest, which tell a pause from traffic that has stopped.
/// </summary>
public sealed class ProjectionWindowTests : MeteringTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 55, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_fifteen_minute_window_holds_the_minutes_since_its_start_and_nothing_of_the_hour_before()
    {
        await using (var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddLedger(Environment.Database.ConnectionString).BuildServiceProvider())
        {
            // 12:00:30 is in the window's hour but 39 minutes before it starts; hourly buckets would count it.
            TokenUsage[] events =
            [
                Usage.Event("before", prompt: 1_000, completion: 0, at: Now.AddMinutes(-54).AddSeconds(-30)),
                Usage.Event("first-minute", prompt: 2_000, completion: 0, at: Now.AddMinutes(-15).AddSeconds(10)),
                Usage.Event("latest", prompt: 4_000, completion: 0, at: Now.AddMinutes(-3)),
            ];
            var messages = events.Select(e => IncomingMessage.Read(JsonSerializer.SerializeToUtf8Bytes(e, MeteringJson.Options), Now)).ToList();
            await services.GetRequiredService<MeteringTransaction>().CommitAsync(messages, new MeteringRules(TimeSpan.FromHours(72)), Now);
        }

        var cycle = BillingCycle.Containing(Now, 1);
        await using var connection = new NpgsqlConnection(Environment.Database.ConnectionString);
        await connection.OpenAsync();
        var usage = await SagaStore.UsageAsync(connection, "acme", cycle, SpendProjection.WindowStart(cycle, Now, TimeSpan.FromMinutes(15)), CancellationToken.None);

        Assert.Equal(Now.AddMinutes(-15), usage.WindowStart);
        Assert.Equal(6_000, usage.WindowTokens.Where(t => t.Bucket == BucketKind.Input).Sum(t => t.Tokens));
        Assert.Equal(2, usage.WindowEvents);
        Assert.Equal(Now.AddMinutes(-3), usage.LastEventAt);
        Assert.Equal(Now.AddMinutes(-54).AddSeconds(-30), usage.FirstEventAt);
    }
}
