using System.Globalization;

namespace Metering.Pricing.Catalog;

/// <summary>
/// The price of one (provider, model) from <see cref="EffectiveFrom"/> until the pair's next entry.
/// Published entries are never edited: a price change is a new entry. Rates are per 1M tokens.
/// </summary>
public sealed record PriceEntry
{
    // The five rate properties read and write this, so RatesFor can hand it out by reference.
    private Rates rates;

    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required DateTimeOffset EffectiveFrom { get; init; }

    public required decimal InputPerMillion { get => rates.Input; init => rates = rates with { Input = value }; }

    public required decimal OutputPerMillion { get => rates.Output; init => rates = rates with { Output = value }; }

    /// <summary>Null when the provider has no cache pricing: cached tokens are then billed as input.</summary>
    public decimal? CacheReadPerMillion { get => rates.CacheRead; init => rates = rates with { CacheRead = value }; }

    /// <summary>At most this many cached tokens per event get the cache-read rate; null means no cap.</summary>
    public long? CacheReadCapTokens { get; init; }

    /// <summary>Null bills cache writes at the input rate.</summary>
    public decimal? CacheWritePerMillion { get => rates.CacheWrite; init => rates = rates with { CacheWrite = value }; }

    /// <summary>Null bills reasoning tokens as output tokens (they are part of the completion).</summary>
    public decimal? ReasoningPerMillion { get => rates.Reasoning; init => rates = rates with { Reasoning = value }; }

    /// <summary>When true the provider bills <c>max(completionTokens, maxTokens)</c> output tokens.</summary>
    public bool BillsReservedOutput { get; init; }

    /// <summary>The name of the volume discount schedule; null means no discount.</summary>
    public string? TierSchedule { get; init; }

    /// <summary>Other model names that price as this entry's model; null means only the exact name.</summary>
    public ModelMatch? Match { get; init; }

    /// <summary>Long-context rates, by ascending threshold; the highest threshold the prompt is above wins.</summary>
    public IReadOnlyList<ContextTier> ContextTiers { get; init; } = [];

    /// <summary>Daily UTC windows with their own rates; the first that contains the event's time of day wins.</summary>
    public IReadOnlyList<DailyWindow> Windows { get; init; } = [];

    /// <summary>Where the entry came from, e.g. <c>genai-prices 0.1.8</c>; null for the entries of SPEC §4 and our own.</summary>
    public string? Source { get; init; }

    /// <summary>A stable identity for the ledger: <c>provider/model@effectiveFrom</c>.</summary>
    public string Id => string.Create(
        CultureInfo.InvariantCulture, $"{Provider}/{Model}@{EffectiveFrom.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");

    /// <summary>The entry's own rates, outside every window and context tier.</summary>
    public Rates Rates => rates;

    /// <summary>
    /// The rates one request is priced at: those of the first window containing <paramref name="occurredAt"/>'s UTC
    /// time of day (else the entry's), then of the highest context tier the prompt is strictly above.
    /// </summary>
    public ref readonly Rates RatesFor(long promptTokens, DateTimeOffset occurredAt)
    {
        if (Windows.Count > 0)
        {
            var timeOfDay = occurredAt.UtcDateTime.TimeOfDay;
            for (var i = 0; i < Windows.Count; i++)
            {
                var window = Windows[i];
                if (window.Contains(timeOfDay))
                {
                    return ref window.RatesFor(promptTokens);
                }
            }
        }

        return ref ContextTier.RatesFor(ContextTiers, promptTokens, in rates);
    }

    /// <summary>The undiscounted base rate per 1M tokens of one bucket (outside windows and context tiers).</summary>
    public decimal RatePerMillion(BucketKind bucket) => Rates.PerMillion(bucket);

    /// <summary>True when both price a request the same way, wherever and whenever they start.</summary>
    public bool SameTermsAs(PriceEntry other) =>
        Rates == other.Rates && CacheReadCapTokens == other.CacheReadCapTokens && BillsReservedOutput == other.BillsReservedOutput
        && TierSchedule == other.TierSchedule && Equals(Match, other.Match)
        && ContextTiers.SequenceEqual(other.ContextTiers) && Windows.SequenceEqual(other.Windows);

    public bool Equals(PriceEntry? other) =>
        other is not null && Provider == other.Provider && Model == other.Model && EffectiveFrom == other.EffectiveFrom
        && Source == other.Source && SameTermsAs(other);

    public override int GetHashCode() => HashCode.Combine(Provider, Model, EffectiveFrom, InputPerMillion, OutputPerMillion);
}
