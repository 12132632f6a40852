using System.Diagnostics;
using Metering.IntegrationTests.Harness;
using Metering.Producer;
using Metering.Testing;

namespace Metering.IntegrationTests;

/// <summary>
/// Infrastructure faults are retried, never turned into rejections (SPEC §7). These tests stop and start the real
/// servers, so they run on their own (infra/test.sh runs them after everything else) and only when told how, through
/// <c>METERING_PG_CTL</c> and <c>METERING_RABBITMQ_CTL</c>: commands that take <c>stop</c> or <c>start</c>.
/// </summary>
[Trait("Category", "Disruptive")]
[Collection(DisruptiveCollection.Name)]
public sealed class FaultTests : MeteringTest
{
    private static readonly string? PostgresControl = System.Environment.GetEnvironmentVariable("METERING_PG_CTL");
    private static readonly string? RabbitMqControl = System.Environment.GetEnvironmentVariable("METERING_RABBITMQ_CTL");
    private static readonly string? PostgresKill = System.Environment.GetEnvironmentVariable("METERING_PG_KILL");

    [SkippableFact]
    public async Task PostgreSQL_stopped_and_started_mid_stream_loses_nothing_and_rejects_nothing()
    {
        Skip.If(PostgresControl is null, "METERING_PG_CTL is not set: this test stops and starts the PostgreSQL server");
        var stream = Usage.MixedStream(Scale.Of(5_000, 50_000), "outage", maxPrompt: 3_000);
        Environment.StartWorker();

        await using var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri });
        var publishing = Task.Run(async () =>
        {
            foreach (var chunk in stream.Chunk(10))
            {
                await publisher.PublishBatchAsync(chunk);
            }
        });

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= stream.Count / 10, "a tenth of the events before the outage", Scale.Timeout);
        await ControlAsync(PostgresControl!, "stop");
        await Task.Delay(TimeSpan.FromSeconds(5)); // the outage itself: the consumer keeps retrying meanwhile
        await ControlAsync(PostgresControl!, "start");
        Environment.Database.ResetConnections();
        await publishing;

        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    [SkippableFact]
    public async Task PostgreSQL_crashed_mid_stream_recovers_and_bills_every_event_exactly_once()
    {
        Skip.If(PostgresControl is null || PostgresKill is null, "METERING_PG_CTL and METERING_PG_KILL are not set: this test crashes and starts PostgreSQL");
        var stream = Usage.MixedStream(Scale.Of(5_000, 50_000), "crash-pg", maxPrompt: 3_000);
        Environment.StartWorker();

        // An immediate shutdown (SPEC §16): no checkpoint, every connection cut mid-transaction; the next start replays
        // the WAL. A batch whose commit was not acknowledged stays in RabbitMQ and is metered again, once.
        await using var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri });
        var publishing = Task.Run(async () =>
        {
            foreach (var chunk in stream.Chunk(10))
            {
                await publisher.PublishBatchAsync(chunk);
            }
        });

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= stream.Count / 10, "a tenth of the events before the crash", Scale.Timeout);
        await ControlAsync(PostgresKill!, "immediate");
        await ControlAsync(PostgresControl!, "start");
        Environment.Database.ResetConnections();
        await publishing;

        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    [SkippableFact]
    public async Task RabbitMQ_restarted_mid_stream_loses_nothing_and_bills_nothing_twice()
    {
        Skip.If(RabbitMqControl is null, "METERING_RABBITMQ_CTL is not set: this test stops and starts the RabbitMQ broker");
        var stream = Usage.MixedStream(Scale.Of(5_000, 50_000), "broker", maxPrompt: 3_000);
        Environment.StartWorker();

        // The producer library publishes with confirms and retries through the restart; what the broker had
        // confirmed is in the durable quorum queue, what it had not is published again (and deduplicated).
        await using var publisher = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri, RetryFor = TimeSpan.FromMinutes(5) });
        var publishing = Task.Run(async () =>
        {
            foreach (var chunk in stream.Chunk(10))
            {
                await publisher.PublishBatchAsync(chunk);
            }
        });

        await Eventually.Until(Environment.LedgerCountAsync, n => n >= stream.Count / 10, "a tenth of the events before the restart", Scale.Timeout);
        await ControlAsync(RabbitMqControl!, "stop");
        await Task.Delay(TimeSpan.FromSeconds(5));
        await ControlAsync(RabbitMqControl!, "start");
        await publishing;

        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    [SkippableFact]
    public async Task Ingestion_answers_503_while_RabbitMQ_is_down_and_bills_every_event_it_accepted_once()
    {
        Skip.If(RabbitMqControl is null, "METERING_RABBITMQ_CTL is not set: this test stops and starts the RabbitMQ broker");
        var stream = Usage.MixedStream(Scale.Of(3_000, 30_000), "ingest-outage", maxPrompt: 3_000);
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();
        var ingest = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest"));

        // Four producers as the README describes one: each batch is sent until it is answered 202; a 503 says nothing
        // of the request was accepted and when to try again (sooner here, to keep the test short). The last third
        // waits for the outage, so some of it is sent while the broker is down.
        var batches = stream.Chunk(50).Select((batch, i) => (Index: i, Body: "[" + string.Join(',', batch.Select(MeteringEnvironment.Json)) + "]")).ToList();
        var (accepted, unavailable) = (0, 0);
        var stopped = new TaskCompletionSource();
        var publishing = Task.WhenAll(Enumerable.Range(0, 4).Select(lane => Task.Run(async () =>
        {
            foreach (var (index, body) in batches.Where(b => b.Index % 4 == lane))
            {
                if (index >= batches.Count * 2 / 3)
                {
                    await stopped.Task;
                }

                while (true)
                {
                    var response = await ingest.PostAsync("/v1/events", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                    if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref accepted);
                        break;
                    }

                    Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.NotNull(response.Headers.RetryAfter?.Delta);
                    Interlocked.Increment(ref unavailable);
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }
            }
        })));

        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref accepted)), n => n >= batches.Count / 3, "a third of the batches accepted", Scale.Timeout);
        await ControlAsync(RabbitMqControl!, "stop");
        stopped.SetResult();
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref unavailable)), n => n >= 3, "503s while the broker is down", Scale.Timeout);
        await ControlAsync(RabbitMqControl!, "start");
        await publishing;

        await Environment.WaitForAsync(stream.Count, timeout: Scale.Timeout);
        Assert.Equal(0, await Environment.RejectedCountAsync());
        await Environment.AssertBilledExactlyOnceAsync(stream);
    }

    private static async Task ControlAsync(string control, string action)
    {
        var parts = control.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using var process = Process.Start(new ProcessStartInfo(parts[0], [.. parts[1..], action]) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{control} {action} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}
