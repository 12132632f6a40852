namespace Metering.Pricing.Catalog;

/// <summary>
/// Long-context pricing: a request whose prompt is strictly above <see cref="AbovePromptTokens"/> has every bucket
/// priced at <see cref="Rates"/>, the whole request, as providers bill it (SPEC §13).
/// </summary>
public sealed record ContextTier(long AbovePromptTokens, Rates Rates)
{
    private readonly Rates rates = Rates;

    public Rates Rates { get => rates; init => rates = value; }

    /// <summary>
    /// The rates of the highest tier of <paramref name="tiers"/> the prompt is strictly above, else <paramref name="below"/>.
    /// </summary>
    internal static ref readonly Rates RatesFor(IReadOnlyList<ContextTier> tiers, long promptTokens, ref readonly Rates below)
    {
        for (var i = tiers.Count - 1; i >= 0; i--)
        {
            if (promptTokens > tiers[i].AbovePromptTokens)
            {
                return ref tiers[i].rates;
            }
        }

        return ref below;
    }
}
