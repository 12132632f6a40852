namespace Metering.Pricing.Catalog;

/// <summary>One step of a graduated volume discount: tokens from <see cref="FromTokens"/> on get <see cref="Discount"/>.</summary>
public readonly record struct TierStep(long FromTokens, decimal Discount)
{
    /// <summary>What is left of a rate after the discount: <c>1 − discount</c>.</summary>
    public decimal Multiplier { get; } = 1m - Discount;
}
