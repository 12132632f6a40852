using System.Diagnostics.Metrics;
using Metering.Hosting;
using Metering.Ledger.Writing;

namespace Metering.Worker.Usage;

/// <summary>What the consumer does, for Prometheus: events priced, duplicates, rejections by code, batches, lag.</summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> priced;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> rejected;
    private readonly Histogram<int> batchEvents;
    private readonly Histogram<double> batchDuration;
    private readonly Histogram<double> lag;

    public WorkerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.MeterName);
        priced = meter.CreateCounter<long>("metering.events.priced", "{event}", "Events priced and committed to the ledger");
        duplicates = meter.CreateCounter<long>("metering.events.duplicates", "{event}", "Deliveries of events already billed");
        rejected = meter.CreateCounter<long>("metering.events.rejected", "{event}", "Events rejected, by reason code");
        batchEvents = meter.CreateHistogram<int>("metering.batch.events", "{event}", "Events per ledger transaction");
        batchDuration = meter.CreateHistogram<double>("metering.batch.duration", "ms", "Time to meter a batch, from receipt to published spend updates");
        lag = meter.CreateHistogram<double>("metering.lag", "s", "From an event's occurredAt to its commit");
    }

    public void Record(IReadOnlyList<CommitResult> results, DateTimeOffset committedAt, TimeSpan elapsed)
    {
        var events = 0;
        foreach (var result in results)
        {
            events += result.Events;
            priced.Add(result.Priced.Count);
            duplicates.Add(result.Duplicates);
            foreach (var rejection in result.Rejections)
            {
                rejected.Add(1, new KeyValuePair<string, object?>("code", rejection.Rejection.Code));
            }

            foreach (var entry in result.Priced)
            {
                lag.Record((committedAt - entry.Usage.OccurredAt).TotalSeconds);
            }
        }

        batchEvents.Record(events);
        batchDuration.Record(elapsed.TotalMilliseconds);
    }
}
