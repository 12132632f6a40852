using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Metering.Bench;

/// <summary>
/// <c>pipeline</c>: in one run, the transport ceiling (the same single-event messages through the consumer's own
/// endpoint, consumed by a consumer that does nothing), end-to-end throughput with one and with 100 events per
/// message (published → priced and committed by the real consumer process), and freshness at a steady rate
/// (published → visible in the ledger API). Each throughput scenario is measured after an unmeasured warm-up.
/// </summary>
internal static class PipelineBench
{
    private static double warmUpShare;

    public static Command Command()
    {
        var single = new Option<int>("--events") { Description = "Events for the single-event runs.", DefaultValueFactory = _ => 60_000 };
        var batched = new Option<int>("--batched-events") { Description = "Events for the 100-per-message run.", DefaultValueFactory = _ => 400_000 };
        var rate = new Option<int>("--freshness-rate") { Description = "Events per second for the freshness run.", DefaultValueFactory = _ => 1_000 };
        var seconds = new Option<int>("--freshness-seconds") { Description = "How long the freshness run publishes.", DefaultValueFactory = _ => 60 };
        var warmUp = new Option<double>("--warm-up")
        {
            Description = "Events put through first, unmeasured, as a fraction of each scenario's events (0: time a cold process).",
            DefaultValueFactory = _ => 0.1,
        };
        var command = new Command("pipeline", "Transport ceiling, end-to-end throughput (one and 100 events per message) and freshness.") { single, batched, rate, seconds, warmUp };
        command.SetAction(async (parse, _) =>
        {
            warmUpShare = parse.GetValue(warmUp);
            var results = new List<(string Scenario, int Messages, int Events, TimeSpan Elapsed)>
            {
                await CeilingAsync(parse.GetValue(single)),
                await EndToEndAsync(parse.GetValue(single), 1),
                await EndToEndAsync(parse.GetValue(batched), 100),
            };
            var freshness = await FreshnessBench.RunAsync(parse.GetValue(rate), TimeSpan.FromSeconds(parse.GetValue(seconds)));
            Report(results);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"freshness at {parse.GetValue(rate):N0} events/s ({freshness.Events:N0} events): p50 {freshness.P50:0} ms, p99 {freshness.P99:0} ms (target p99 ≤ 500 ms)"));
            return 0;
        });
        return command;
    }

    private static async Task<(string, int, int, TimeSpan)> CeilingAsync(int events)
    {
        Console.Error.WriteLine($"transport ceiling: {events:N0} single-event messages, consumer that does nothing");
        await using var environment = await BenchEnvironment.CreateAsync();
        var bodies = Workload.Bodies(events, 1, "ceiling");
        await using var consumer = await NullConsumer.StartAsync(environment.Vhost.Uri);
        await environment.Vhost.WaitForConsumerAsync();
        await using var publisher = await LoadPublisher.ConnectAsync(environment.Vhost.Uri);
        var warm = await WarmUpAsync(publisher, events, 1, () => Task.FromResult(NullConsumer.Consumed));

        var clock = Stopwatch.StartNew();
        var publishing = publisher.PublishAsync(bodies);
        var elapsed = await Progress.UntilAsync("consumed", events, () => Task.FromResult(NullConsumer.Consumed - warm), clock, TimeSpan.FromMinutes(10));
        await publishing;
        return ("transport ceiling (consumer does nothing)", bodies.Count, events, elapsed);
    }

    private static async Task<(string, int, int, TimeSpan)> EndToEndAsync(int events, int perMessage)
    {
        Console.Error.WriteLine($"end to end: {events:N0} events, {perMessage} per message");
        await using var environment = await BenchEnvironment.CreateAsync();
        var bodies = Workload.Bodies(events, perMessage, $"e2e{perMessage}");
        var worker = environment.Start("Metering.Worker");
        await environment.Vhost.WaitForConsumerAsync(describe: () => worker.RecentOutput);
        await using var publisher = await LoadPublisher.ConnectAsync(environment.Vhost.Uri);
        var warm = await WarmUpAsync(publisher, events, perMessage, environment.CommittedAsync);

        var clock = Stopwatch.StartNew();
        var publishing = publisher.PublishAsync(bodies).ContinueWith(
            t => Console.Error.WriteLine($"  all {bodies.Count:N0} messages published and confirmed after {clock.Elapsed.TotalSeconds:0.0} s"),
            TaskScheduler.Default);
        var elapsed = await Progress.UntilAsync("committed", events, async () => await environment.CommittedAsync() - warm, clock, TimeSpan.FromMinutes(10));
        await publishing;
        return ($"end to end, {perMessage} event{(perMessage == 1 ? "" : "s")}/message", bodies.Count, events, elapsed);
    }

    /// <summary>
    /// A share of the events (a tenth by default) of the same shape first, unmeasured, until they are through: JIT compilation, connection
    /// pools and the heap then stand as they would in a service that has been running, and the clock measures the
    /// steady state. Returns how many events the warm-up put through.
    /// </summary>
    private static async Task<long> WarmUpAsync(LoadPublisher publisher, int events, int perMessage, Func<Task<long>> count)
    {
        var warmUp = (int)(events * warmUpShare) / perMessage * perMessage;
        if (warmUp == 0)
        {
            return 0;
        }

        Console.Error.WriteLine($"  warm-up: {warmUp:N0} events, not measured");
        await publisher.PublishAsync(Workload.Bodies(warmUp, perMessage, $"warm{perMessage}"));
        await Metering.Testing.Eventually.Until(count, n => n >= warmUp, "the warm-up events through", TimeSpan.FromMinutes(5));
        return await count();
    }

    private static void Report(List<(string Scenario, int Messages, int Events, TimeSpan Elapsed)> results)
    {
        static double Rate((string, int, int Events, TimeSpan Elapsed) r) => r.Events / r.Elapsed.TotalSeconds;

        Console.WriteLine();
        Console.WriteLine("| scenario | messages | events | seconds | events/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Scenario} | {result.Messages:N0} | {result.Events:N0} | {result.Elapsed.TotalSeconds:0.0} | {Rate(result):N0} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"end-to-end single / transport ceiling = {Rate(results[1]) / Rate(results[0]):0.00} (target ≥ 0.60)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"end-to-end batched = {Rate(results[2]):N0} events/s (target ≥ 25,000)"));
    }
}
