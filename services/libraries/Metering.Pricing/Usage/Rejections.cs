namespace Metering.Pricing.Usage;

/// <summary>The rejections the pricing rules produce, worded once.</summary>
public static class Rejections
{
    public static Rejection UnknownModel(Catalog.PriceCatalog catalog, string provider, string model, DateTimeOffset at) =>
        catalog.Knows(provider, model)
            ? new Rejection(RejectionCodes.UnknownModel, $"{provider}/{model} has no price in effect at {at:O}; its first price starts later")
            : new Rejection(RejectionCodes.UnknownModel, $"{provider}/{model} is not in the catalog");

    public static Rejection Duplicate(string tenantId, string eventId) =>
        new(RejectionCodes.Duplicate, $"event '{eventId}' of tenant '{tenantId}' was already accepted");
}
