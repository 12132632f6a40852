using System.Diagnostics.CodeAnalysis;
using Metering.Contracts;
using Metering.Pricing.Catalog;
using Metering.Pricing.Usage;

namespace Metering.Pricing;

/// <summary>
/// Prices a stream of events in order against cycle state held in memory: the tier counters and the events already
/// accepted. The offline pricer runs a whole input through one session; the metering consumer runs each batch
/// through one (<see cref="Batches.BatchDecision"/>), seeded with the counters it has locked in PostgreSQL. Either
/// way the same rules decide.
/// </summary>
public sealed class PricingSession(PriceCatalog catalog, Func<string, TenantSettings> tenantSettings)
{
    private readonly HashSet<(string TenantId, string EventId)> accepted = [];

    public PriceCatalog Catalog => catalog;

    /// <summary>Billed tokens so far per (tenant, cycle, provider). Seed it before pricing to continue a cycle.</summary>
    public Dictionary<TierCounterKey, long> TierCounters { get; } = [];

    public TenantSettings SettingsOf(string tenantId) => tenantSettings(tenantId);

    /// <summary>
    /// The terms an event would be priced against, or why it cannot be priced (unknown model, too late, from the
    /// future); changes nothing. The metering consumer uses it to find the cycles to lock before pricing.
    /// </summary>
    public bool TryResolve(TokenUsage usage, Arrival? arrival, out PricingTerms terms, [NotNullWhen(false)] out Rejection? rejection)
    {
        var tenant = tenantSettings(usage.TenantId);
        if (!Pricer.TryResolve(catalog, tenant, usage.Provider, usage.Model, usage.OccurredAt, out terms))
        {
            rejection = Rejections.UnknownModel(catalog, usage.Provider, usage.Model, usage.OccurredAt);
            return false;
        }

        rejection = null;
        if (arrival is { } a)
        {
            if (a.AdjustAt is { } adjustAt)
            {
                terms = terms with { Cycle = BillingCycle.Containing(adjustAt, tenant.CycleAnchorDay) };
            }
            else
            {
                rejection = Timeliness.Check(usage.OccurredAt, terms.Cycle, a.At, a.GracePeriod);
                if (rejection is null && a.OpenAt is { } openAt)
                {
                    rejection = Timeliness.Check(usage.OccurredAt, terms.Cycle, openAt, a.GracePeriod) is { Code: RejectionCodes.CycleClosed } closed ? closed : null;
                }
            }
        }

        return rejection is null;
    }

    /// <summary>True when an event of (tenant, event id) was priced by this session.</summary>
    public bool HasPriced(string tenantId, string eventId) => accepted.Contains((tenantId, eventId));

    public PricingOutcome Price(TokenUsage usage, Arrival? arrival = null)
    {
        if (accepted.Contains((usage.TenantId, usage.EventId)))
        {
            return new PricingOutcome(null, Rejections.Duplicate(usage.TenantId, usage.EventId));
        }

        if (!TryResolve(usage, arrival, out var terms, out var rejection))
        {
            return new PricingOutcome(null, rejection);
        }

        var key = new TierCounterKey(usage.TenantId, terms.Cycle.StartDate, usage.Provider);
        var position = TierCounters.GetValueOrDefault(key);
        Span<BucketCharge> charges = stackalloc BucketCharge[BucketCharge.MaxPerEvent];
        var price = Pricer.Price(TokenCounts.Of(usage), terms.Entry, terms.Schedule, position, usage.OccurredAt, charges);

        TierCounters[key] = price.TierPositionAfter(position);
        accepted.Add((usage.TenantId, usage.EventId));
        return new PricingOutcome(
            new PricedEvent(usage, terms, position, price, charges[..price.ChargeCount].ToArray(), arrival?.AdjustAt is not null, arrival?.At),
            null);
    }
}
