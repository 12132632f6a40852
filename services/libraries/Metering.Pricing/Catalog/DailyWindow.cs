namespace Metering.Pricing.Catalog;

/// <summary>
/// A daily UTC time-of-day window <c>[Start, End)</c> with its own rates (off-peak or peak prices). A window whose end
/// is before its start runs through midnight. Its context tiers apply inside it instead of the entry's.
/// </summary>
public sealed record DailyWindow(TimeSpan Start, TimeSpan End, Rates Rates)
{
    public IReadOnlyList<ContextTier> ContextTiers { get; init; } = [];

    public bool Contains(TimeSpan timeOfDay) =>
        End < Start ? timeOfDay >= Start || timeOfDay < End : timeOfDay >= Start && timeOfDay < End;

    public bool Equals(DailyWindow? other) =>
        other is not null && Start == other.Start && End == other.End && Rates == other.Rates && ContextTiers.SequenceEqual(other.ContextTiers);

    public override int GetHashCode() => HashCode.Combine(Start, End, Rates, ContextTiers.Count);
}
