namespace Metering.Pricing;

/// <summary>What one event costs.</summary>
public readonly record struct PricedUsage(
    decimal Cost,
    long BilledTokens,
    long BilledOutputTokens,
    long ReservedOutputWaste,
    decimal ReservedOutputWasteCost,
    int ChargeCount)
{
    /// <summary>The first tier counter position after this event.</summary>
    public long TierPositionAfter(long tierPosition) => tierPosition + BilledTokens;
}
