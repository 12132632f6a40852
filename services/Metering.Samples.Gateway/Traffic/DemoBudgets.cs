using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Samples.Gateway.Traffic;

/// <summary>
/// The demo's budgets, derived from the demo's own traffic rather than typed by hand: a tenant's budget is what its
/// traffic costs over <see cref="TenantProfile.BudgetCovers"/> at its sustained rate, at the catalog's list prices
/// (no volume discount, so never less than the traffic really costs). Three 31-day cycles for a tenant that should
/// carry on keeps its projection far below every threshold; two minutes of a runaway loop is crossed within a minute.
/// </summary>
public static class DemoBudgets
{
    /// <summary>Calls drawn to estimate the mean cost of one; a fixed seed makes the budget the same at every start.</summary>
    private const int Sample = 4_000;

    public static decimal? For(TenantProfile tenant, PriceCatalog catalog, DateTimeOffset now)
    {
        if (tenant.Budget is { } typed)
        {
            return decimal.Parse(typed, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (tenant.BudgetCovers is not { } covers)
        {
            return null;
        }

        var calls = (decimal)DemoTraffic.SustainedRate(tenant) * (decimal)covers.TotalSeconds;
        return decimal.Round(MeanCallCost(tenant, catalog, now) * calls, 2, MidpointRounding.ToPositiveInfinity);
    }

    /// <summary>The mean list-price cost of one of the tenant's calls.</summary>
    public static decimal MeanCallCost(TenantProfile tenant, PriceCatalog catalog, DateTimeOffset now)
    {
        var random = new Random(17);
        Span<BucketCharge> charges = stackalloc BucketCharge[BucketCharge.MaxPerEvent];
        var total = 0m;
        for (var i = 0; i < Sample; i++)
        {
            var call = DemoTraffic.Call(tenant, random, i, now);
            var entry = catalog.Find(call.Provider, call.Model, now)
                ?? throw new InvalidOperationException($"the demo tenant {tenant.TenantId} calls {call.Provider}/{call.Model}, which the catalog does not price");
            total += Pricer.Price(TokenCounts.Of(call), entry, TierSchedule.Flat, 0, call.OccurredAt, charges).Cost;
        }

        return total / Sample;
    }
}
