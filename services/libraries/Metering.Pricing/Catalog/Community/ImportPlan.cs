namespace Metering.Pricing.Catalog.Community;

/// <summary>
/// What importing a converted dataset adds to a catalog (SPEC §13): new entries only, never an edit.
/// <see cref="Kept"/> are pairs the dataset speaks of that are ours (SPEC §4's or added by hand), left as they are;
/// <see cref="Unchanged"/> counts pairs whose price is what the catalog already has.
/// </summary>
public sealed record ImportPlan(
    IReadOnlyList<PriceEntry> Added,
    IReadOnlyList<string> Kept,
    int Unchanged,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ProviderFallbacks)
{
    /// <summary>
    /// Plans the import of <paramref name="incoming"/> into <paramref name="current"/> at <paramref name="now"/>:
    /// <list type="bullet">
    /// <item>a pair the catalog does not have comes in with its whole dated history, as the dataset gives it;</item>
    /// <item>a pair the catalog has from an earlier import gets a new entry wherever the dataset's price differs from
    /// the catalog's: from <paramref name="now"/> for the price in effect today, and from its own date for each later
    /// dated change. The past stays as it was billed: a dataset's changes dated before today are not applied back;</item>
    /// <item>a pair of ours (an entry with no source) is kept, whatever the dataset says of it.</item>
    /// </list>
    /// </summary>
    public static ImportPlan Of(PriceCatalog current, PriceCatalog incoming, DateTimeOffset now)
    {
        var added = new List<PriceEntry>();
        var kept = new List<string>();
        var unchanged = 0;
        foreach (var pair in incoming.Prices.GroupBy(p => (p.Provider, p.Model)))
        {
            var existing = current.EntriesOf(pair.Key.Provider, pair.Key.Model);
            if (existing.Count == 0)
            {
                added.AddRange(pair);
                continue;
            }

            if (existing.Any(e => e.Source is null))
            {
                kept.Add($"{pair.Key.Provider}/{pair.Key.Model}");
                continue;
            }

            var working = existing.ToList();
            var before = added.Count;
            var fromToday = pair.LastOrDefault(p => p.EffectiveFrom <= now) is { } today ? [today with { EffectiveFrom = now }] : Array.Empty<PriceEntry>();
            foreach (var candidate in fromToday.Concat(pair.Where(p => p.EffectiveFrom > now)))
            {
                var inEffect = working.LastOrDefault(e => e.EffectiveFrom <= candidate.EffectiveFrom);
                if (inEffect is not null && inEffect.SameTermsAs(candidate))
                {
                    continue;
                }

                // One entry per instant: where the catalog already has one (an import at the same instant), the change
                // takes effect a second later rather than editing it.
                var entry = inEffect?.EffectiveFrom == candidate.EffectiveFrom ? candidate with { EffectiveFrom = candidate.EffectiveFrom.AddSeconds(1) } : candidate;
                added.Add(entry);
                working.Add(entry);
                working.Sort((a, b) => a.EffectiveFrom.CompareTo(b.EffectiveFrom));
            }

            if (added.Count == before)
            {
                unchanged++;
            }
        }

        var fallbacks = incoming.ProviderFallbacks.Where(f => !current.ProviderFallbacks.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => f.Value);
        return new ImportPlan(added, kept, unchanged, fallbacks);
    }
}
