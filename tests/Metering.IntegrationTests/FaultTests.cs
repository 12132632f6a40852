using System.Diagnostics;
using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// Infrastructure faults are retried, never turned into rejections (SPEC §7). These tests stop and start the real
/// servers, so they run on their own (infra/test.sh runs them after everything else) and only when told how, through
/// <c>METERING_PG_CTL</c> (e.g. <c>pg_ctlcluster 15 main</c>).
/// </summary>
[Trait("Category", "Disruptive")]
public sealed class FaultTests : MeteringTest
{
    private static readonly string? PostgresControl = System.Environment.GetEnvironmentVariable("METERING_PG_CTL");

    [SkippableFact]
    public async Task PostgreSQL_stopped_and_started_mid_stream_loses_nothing_and_rejects_nothing()
    {
        Skip.If(PostgresControl is null, "METERING_PG_CTL is not set: this test stops and starts the PostgreSQL server");
        var stream = Usage.MixedStream(5_000, "outage");
        Environment.StartWorker();

        await using var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri });
        var publishing = Task.Run(async () =>
        {
            foreach (var chunk in stream.Chunk(10))
            {
                await publisher.PublishBatchAsync(chunk);
            }
        });

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= 500, "500 entries before the outage");
        await ControlAsync("stop");
        await Task.Delay(TimeSpan.FromSeconds(5)); // the outage itself: the consumer keeps retrying meanwhile
        await ControlAsync("start");
        Environment.Database.ResetConnections();
        await publishing;

        await Environment.WaitForAsync(stream.Count, timeout: TimeSpan.FromMinutes(2));
        Assert.Equal(stream.Count, await Environment.LedgerCountAsync());
        Assert.Equal(0, await Environment.RejectedCountAsync());
        var offline = Assert.Single(await MeteringCli.PriceAsync(MeteringEnvironment.JsonLines(stream), "--summary"));
        Assert.Equal(decimal.Parse((string)offline["totalCost"]!, System.Globalization.CultureInfo.InvariantCulture), await Environment.Database.ScalarAsync<decimal>("SELECT sum(cost) FROM ledger_entries"));
    }

    private static async Task ControlAsync(string action)
    {
        var parts = PostgresControl!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using var process = Process.Start(new ProcessStartInfo(parts[0], [.. parts[1..], action]) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{PostgresControl} {action} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}
