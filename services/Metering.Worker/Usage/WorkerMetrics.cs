using System.Diagnostics.Metrics;
using Metering.Hosting;
using Metering.Ledger.Writing;

namespace Metering.Worker.Usage;

/// <summary>What the consumer does, for Prometheus: events priced, duplicates, rejections by code, faults by kind, batches, lag.</summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> priced;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> rejected;
    private readonly Counter<long> faults;
    private readonly Histogram<int> batchEvents;
    private readonly Histogram<double> batchDuration;
    private readonly Histogram<double> lag;

    public WorkerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.MeterName);
        priced = meter.CreateCounter<long>("metering.events.priced", "{event}", "Events priced and committed to the ledger");
        duplicates = meter.CreateCounter<long>("metering.events.duplicates", "{event}", "Deliveries of events already billed");
        rejected = meter.CreateCounter<long>("metering.events.rejected", "{event}", "Events rejected, by reason code");
        faults = meter.CreateCounter<long>("metering.faults", "{fault}", "Failed metering transactions, by kind (outage, conflict, unknown): retried, never rejected");
        batchEvents = meter.CreateHistogram<int>("metering.batch.events", "{event}", "Events per ledger transaction");
        batchDuration = meter.CreateHistogram<double>("metering.batch.duration", "ms", "Time to meter a batch, from receipt to commit");
        lag = meter.CreateHistogram<double>("metering.lag", "s", "From an event's occurredAt to its commit");
    }

    public void Fault(FaultKind kind) => faults.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));

    public void Record(IReadOnlyList<MeteringResult> results, DateTimeOffset committedAt, TimeSpan elapsed)
    {
        var events = 0;
        foreach (var result in results)
        {
            var outcome = result.Outcome;
            events += outcome.Events;
            priced.Add(outcome.Priced.Count);
            duplicates.Add(outcome.Duplicates.Count);
            foreach (var rejection in outcome.Rejections)
            {
                rejected.Add(1, new KeyValuePair<string, object?>("code", rejection.Rejection.Code));
            }

            foreach (var entry in outcome.Priced)
            {
                lag.Record((committedAt - entry.Usage.OccurredAt).TotalSeconds);
            }
        }

        batchEvents.Record(events);
        batchDuration.Record(elapsed.TotalMilliseconds);
    }
}
