using Metering.Pricing.Catalog;

namespace Metering.Pricing;

/// <summary>
/// Everything an event is priced against: the catalog entry in effect, the tenant's tier schedule and the cycle, and
/// the rule that matched the model name (null when it named the entry's model exactly).
/// </summary>
public readonly record struct PricingTerms(PriceEntry Entry, TierSchedule Schedule, BillingCycle Cycle, ModelMatch? MatchedBy = null);
