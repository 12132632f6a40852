namespace Metering.Pricing;

/// <summary>
/// The tokens of one bucket that fall in one tier, and what they cost. <see cref="RatePerMillion"/> is the rate after
/// the tier's discount, so <c>Amount = Tokens × RatePerMillion / 1,000,000</c> exactly.
/// </summary>
public readonly record struct BucketCharge(
    BucketKind Kind,
    int Tier,
    long Tokens,
    decimal Discount,
    decimal RatePerMillion,
    decimal Amount)
{
    /// <summary>
    /// The most charges one event can produce: one per bucket, plus one more each time the event crosses a tier
    /// boundary. Size a buffer for <see cref="Pricer.Price"/> with this.
    /// </summary>
    public const int MaxPerEvent = 6 + Catalog.TierSchedule.MaxSteps - 1;
}
