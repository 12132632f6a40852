namespace Metering.Pricing.Catalog;

/// <summary>
/// A daily UTC time-of-day window <c>[Start, End)</c> with its own rates (off-peak or peak prices). A window whose end
/// is before its start runs through midnight. Its context tiers apply inside it instead of the entry's.
/// </summary>
public sealed record DailyWindow(TimeSpan Start, TimeSpan End, Rates Rates)
{
    private readonly Rates rates = Rates;

    public Rates Rates { get => rates; init => rates = value; }

    public IReadOnlyList<ContextTier> ContextTiers { get; init; } = [];

    public bool Contains(TimeSpan timeOfDay) =>
        End < Start ? timeOfDay >= Start || timeOfDay < End : timeOfDay >= Start && timeOfDay < End;

    /// <summary>
    /// The window's rates for a prompt of this size: those of its highest context tier the prompt is above, else its own.
    /// </summary>
    internal ref readonly Rates RatesFor(long promptTokens) => ref ContextTier.RatesFor(ContextTiers, promptTokens, in rates);

    public bool Equals(DailyWindow? other) =>
        other is not null && Start == other.Start && End == other.End && Rates == other.Rates && ContextTiers.SequenceEqual(other.ContextTiers);

    public override int GetHashCode() => HashCode.Combine(Start, End, Rates, ContextTiers.Count);
}
