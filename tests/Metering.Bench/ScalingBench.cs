using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Metering.Bench;

/// <summary>
/// <c>scaling</c>: end-to-end throughput with 1, 2 and 4 consumer processes on one queue (SPEC §16), on the single
/// RabbitMQ node or, with <c>--cluster</c>, on the three-node cluster of <c>infra/lib/cluster.sh</c> (its quorum queue
/// replicated on three nodes). Each round is a fresh database and vhost; the events are published first and the clock
/// runs from the first commit after a warm-up to the last.
/// </summary>
internal static class ScalingBench
{
    public static Command Command()
    {
        var events = new Option<int>("--events") { Description = "Events per round.", DefaultValueFactory = _ => 200_000 };
        var perMessage = new Option<int>("--per-message") { Description = "Events per message.", DefaultValueFactory = _ => 100 };
        var workers = new Option<string>("--workers") { Description = "Consumer processes per round, comma-separated.", DefaultValueFactory = _ => "1,2,4" };
        var cluster = new Option<bool>("--cluster") { Description = "On the three-node RabbitMQ cluster instead of the single node." };
        var command = new Command("scaling", "End-to-end throughput with 1, 2 and 4 consumer processes, on one RabbitMQ node or the cluster.") { events, perMessage, workers, cluster };
        command.SetAction(async (parse, _) =>
        {
            var rounds = parse.GetValue(workers)!.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList();
            var onCluster = parse.GetValue(cluster);
            var results = new List<(int Workers, TimeSpan Elapsed, int Events)>();
            foreach (var count in rounds)
            {
                results.Add(await RoundAsync(count, parse.GetValue(events), parse.GetValue(perMessage), onCluster));
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{parse.GetValue(events):N0} events, {parse.GetValue(perMessage)} per message, on {(onCluster ? "the three-node cluster (quorum queue, 3 replicas)" : "one RabbitMQ node")}"));
            Console.WriteLine("| consumers | seconds | events/s |");
            Console.WriteLine("|---:|---:|---:|");
            foreach (var (count, elapsed, measured) in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count} | {elapsed.TotalSeconds:0.0} | {measured / elapsed.TotalSeconds:N0} |"));
            }

            return 0;
        });
        return command;
    }

    private static async Task<(int, TimeSpan, int)> RoundAsync(int workers, int events, int perMessage, bool onCluster)
    {
        Console.Error.WriteLine($"{workers} consumer(s): {events:N0} events, {perMessage} per message");
        await using var environment = onCluster ? await BenchEnvironment.OnClusterAsync() : await BenchEnvironment.CreateAsync();
        var bodies = Workload.Bodies(events, perMessage, $"scaling{workers}");
        var processes = Enumerable.Range(0, workers).Select(_ => environment.Start("Metering.Worker")).ToList();
        await environment.Vhost.WaitForConsumerAsync(describe: () => processes[0].RecentOutput);
        await using var publisher = await LoadPublisher.ConnectAsync(environment.Vhost.Uri);

        // A tenth first, unmeasured: JIT, connection pools, prepared statements in every process.
        var warm = bodies.Count / 10;
        await publisher.PublishAsync(bodies[..warm]);
        var warmEvents = warm * perMessage;
        await Progress.UntilAsync("warm-up committed", warmEvents, environment.CommittedAsync, Stopwatch.StartNew(), TimeSpan.FromMinutes(10));

        var clock = Stopwatch.StartNew();
        var publishing = publisher.PublishAsync(bodies[warm..]);
        var measured = events - warmEvents;
        var elapsed = await Progress.UntilAsync("committed", measured, async () => await environment.CommittedAsync() - warmEvents, clock, TimeSpan.FromMinutes(10));
        await publishing;
        return (workers, elapsed, measured);
    }
}
