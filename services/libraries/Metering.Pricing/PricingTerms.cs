using Metering.Pricing.Catalog;

namespace Metering.Pricing;

/// <summary>Everything an event is priced against: the catalog entry in effect, the tenant's tier schedule and the cycle.</summary>
public readonly record struct PricingTerms(PriceEntry Entry, TierSchedule Schedule, BillingCycle Cycle);
