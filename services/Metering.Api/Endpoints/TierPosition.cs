using Metering.Pricing;

namespace Metering.Api.Endpoints;

public sealed record TierPosition(
    string Provider, long BilledTokens, string TierSchedule, int Tier, string Discount, long? NextTierFrom, long? TokensToNextTier, string? NextDiscount)
{
    public static TierPosition Of(string provider, long billedTokens, Pricing.Catalog.TierSchedule schedule)
    {
        var tier = schedule.TierAt(billedTokens);
        var hasNext = tier + 1 < schedule.Steps.Count;
        return new TierPosition(
            provider, billedTokens, schedule.Name, tier, Money.Format(schedule[tier].Discount),
            hasNext ? schedule[tier + 1].FromTokens : null,
            hasNext ? schedule[tier + 1].FromTokens - billedTokens : null,
            hasNext ? Money.Format(schedule[tier + 1].Discount) : null);
    }
}
