using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Metering.Pricing;
using Metering.Pricing.Catalog;
using Metering.Pricing.Usage;

namespace Metering.Cli.Pricing;

/// <summary>
/// Prices JSON lines in input order from empty cycle state, with the consumer's own <see cref="PricingSession"/>.
/// There is no arrival time offline, so the grace-period and future-timestamp rules do not apply.
/// </summary>
internal sealed class OfflinePricer(PriceCatalog catalog, IReadOnlyDictionary<string, TenantSettings> tenants, ModelTarget? repriceAs)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly PricingSession session = new(
        catalog, tenantId => tenants.TryGetValue(tenantId, out var settings) ? settings : TenantSettings.DefaultFor(tenantId));

    private readonly Summary summary = new();

    public async Task<int> RunAsync(TextReader input, TextWriter output, bool summaryOnly, CancellationToken cancellation)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        while (await input.ReadLineAsync(cancellation) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, WriterOptions))
            {
                PriceLine(line, json);
            }

            if (!summaryOnly)
            {
                await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
            }
        }

        if (summaryOnly)
        {
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, WriterOptions))
            {
                summary.Write(json);
            }

            await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        await output.FlushAsync(cancellation);
        return 0;
    }

    private void PriceLine(string line, Utf8JsonWriter json)
    {
        var read = UsageReader.ReadEvent(Encoding.UTF8.GetBytes(line));
        if (read.Usage is not { } usage)
        {
            WriteError(json, read.EventId, read.Rejection!);
            return;
        }

        if (repriceAs is not null)
        {
            usage = usage with { Provider = repriceAs.Provider, Model = repriceAs.Model };
        }

        var outcome = session.Price(usage);
        if (outcome.Priced is not { } priced)
        {
            WriteError(json, usage.EventId, outcome.Rejection!);
            return;
        }

        summary.Add(priced);
        json.WriteStartObject();
        json.WriteString("eventId", usage.EventId);
        json.WriteString("tenantId", usage.TenantId);
        json.WriteString("cycle", priced.Terms.Cycle.Name);
        json.WriteString("cost", Money.Format(priced.Price.Cost));
        json.WriteStartArray("buckets");
        foreach (var charge in priced.Charges)
        {
            json.WriteStartObject();
            json.WriteString("kind", charge.Kind.Name());
            json.WriteNumber("tier", charge.Tier);
            json.WriteNumber("tokens", charge.Tokens);
            json.WriteString("ratePerMillion", Money.Format(charge.RatePerMillion));
            json.WriteString("amount", Money.Format(charge.Amount));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private void WriteError(Utf8JsonWriter json, string? eventId, Rejection rejection)
    {
        summary.Rejected++;
        json.WriteStartObject();
        if (eventId is null)
        {
            json.WriteNull("eventId");
        }
        else
        {
            json.WriteString("eventId", eventId);
        }

        json.WriteStartObject("error");
        json.WriteString("code", rejection.Code);
        json.WriteString("message", rejection.Message);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The <c>--summary</c> object: priced events, rejections, and cost in total, by provider and by model.</summary>
    private sealed class Summary
    {
        private readonly SortedDictionary<string, decimal> byProvider = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, decimal> byModel = new(StringComparer.Ordinal);

        public long Events { get; private set; }

        public long Rejected { get; set; }

        public decimal TotalCost { get; private set; }

        public void Add(PricedEvent priced)
        {
            Events++;
            TotalCost += priced.Price.Cost;
            byProvider[priced.Usage.Provider] = byProvider.GetValueOrDefault(priced.Usage.Provider) + priced.Price.Cost;
            byModel[priced.Usage.Model] = byModel.GetValueOrDefault(priced.Usage.Model) + priced.Price.Cost;
        }

        public void Write(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteNumber("events", Events);
            json.WriteNumber("rejected", Rejected);
            json.WriteString("totalCost", Money.Format(TotalCost));
            WriteCosts(json, "byProvider", byProvider);
            WriteCosts(json, "byModel", byModel);
            json.WriteEndObject();
        }

        private static void WriteCosts(Utf8JsonWriter json, string name, SortedDictionary<string, decimal> costs)
        {
            json.WriteStartObject(name);
            foreach (var (key, cost) in costs)
            {
                json.WriteString(key, Money.Format(cost));
            }

            json.WriteEndObject();
        }
    }
}
