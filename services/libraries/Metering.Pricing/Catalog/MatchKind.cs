namespace Metering.Pricing.Catalog;

/// <summary>The kinds of model-name rule, as the community dataset writes them.</summary>
public enum MatchKind : byte
{
    Equals,
    StartsWith,
    EndsWith,
    Contains,
    Regex,
    Or,
    And,
}
