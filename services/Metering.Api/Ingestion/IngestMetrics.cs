using System.Diagnostics.Metrics;
using Metering.Hosting;

namespace Metering.Api.Ingestion;

/// <summary>What the front doors took in: events accepted and refused, spans ignored, requests turned away for want of a broker.</summary>
public sealed class IngestMetrics
{
    private readonly Counter<long> events;
    private readonly Counter<long> spansIgnored;
    private readonly Counter<long> unavailable;

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.MeterName);
        events = meter.CreateCounter<long>("metering.ingest.events", "{event}", "Events taken in over HTTP and OTLP, by door and outcome (accepted, rejected)");
        spansIgnored = meter.CreateCounter<long>("metering.ingest.spans_ignored", "{span}", "OTLP spans that are not GenAI calls, ignored");
        unavailable = meter.CreateCounter<long>("metering.ingest.unavailable", "{request}", "Ingestion requests answered 503 because RabbitMQ did not confirm");
    }

    public void Took(string door, int accepted, int rejected)
    {
        events.Add(accepted, new("door", door), new("outcome", "accepted"));
        events.Add(rejected, new("door", door), new("outcome", "rejected"));
    }

    public void Ignored(int spans) => spansIgnored.Add(spans);

    public void Unavailable(string door) => unavailable.Add(1, new KeyValuePair<string, object?>("door", door));
}
