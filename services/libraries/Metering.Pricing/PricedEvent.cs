using Metering.Contracts;

namespace Metering.Pricing;

/// <summary>An accepted event with its price, ready for the ledger.</summary>
/// <param name="ReceivedAt">When it arrived; null offline.</param>
public sealed record PricedEvent(
    TokenUsage Usage,
    PricingTerms Terms,
    long TierPositionBefore,
    PricedUsage Price,
    BucketCharge[] Charges,
    bool IsAdjustment,
    DateTimeOffset? ReceivedAt = null)
{
    public TierCounterKey CounterKey => new(Usage.TenantId, Terms.Cycle.StartDate, Usage.Provider);
}
