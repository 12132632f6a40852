using Metering.Pricing.Usage;

namespace Metering.Pricing;

/// <summary>Either the priced event or why it was rejected.</summary>
public readonly record struct PricingOutcome(PricedEvent? Priced, Rejection? Rejection);
