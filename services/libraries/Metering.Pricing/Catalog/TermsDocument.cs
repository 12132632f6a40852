namespace Metering.Pricing.Catalog;

/// <summary>The parts of an entry beyond its flat rates, as the database keeps them: match rule, context tiers, daily windows.</summary>
public sealed class TermsDocument
{
    public MatchDocument? Match { get; set; }

    public List<ContextTierDocument?>? ContextTiers { get; set; }

    public List<WindowDocument?>? Windows { get; set; }
}
