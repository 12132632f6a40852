namespace Metering.Pricing.Catalog;

/// <summary>
/// The catalog pair a (provider, model name) prices as, and the rule that matched; <see cref="MatchedBy"/> is null
/// when the name is exactly the pair's model. <see cref="Provider"/> differs from the one sent when the name was found
/// through a provider's fallbacks (e.g. <c>azure</c> → <c>openai</c>).
/// </summary>
public sealed record ModelResolution(string Provider, string Model, ModelMatch? MatchedBy)
{
    /// <summary><c>provider/model</c>: how invoices and summaries name the model an event was priced as.</summary>
    public string Name => $"{Provider}/{Model}";
}
