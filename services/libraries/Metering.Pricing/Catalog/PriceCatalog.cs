using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Metering.Pricing.Catalog;

/// <summary>
/// Effective-dated price entries and the tier schedules they name, validated as a whole.
/// Immutable: adding an entry makes a new catalog.
/// </summary>
public sealed class PriceCatalog
{
    private readonly FrozenDictionary<ModelKey, Pair> entriesByModel;
    private readonly ModelResolver<Pair> resolver;

    public PriceCatalog(
        string currency,
        IEnumerable<TierSchedule> tierSchedules,
        IEnumerable<PriceEntry> prices,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? providerFallbacks = null)
    {
        Currency = string.IsNullOrWhiteSpace(currency) ? "USD" : currency;
        TierSchedules = tierSchedules.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        ProviderFallbacks = (providerFallbacks ?? new Dictionary<string, IReadOnlyList<string>>())
            .ToFrozenDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        // Pairs keep the order they first appear in: rules are tried in that order, as the community dataset's are.
        var listed = prices.ToList();
        var order = new Dictionary<ModelKey, int>();
        foreach (var price in listed)
        {
            order.TryAdd(new ModelKey(price.Provider, price.Model), order.Count);
        }

        Prices = [.. listed.OrderBy(p => order[new ModelKey(p.Provider, p.Model)]).ThenBy(p => p.EffectiveFrom)];

        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new CatalogException(problems);
        }

        var pairs = Prices.GroupBy(p => new ModelKey(p.Provider, p.Model)).ToList();
        entriesByModel = pairs.ToFrozenDictionary(
            g => g.Key,
            g => new Pair(
                new ModelResolution(g.Key.Provider, g.Key.Model, null),
                [.. g.Select(p => new ScheduledEntry(p, p.TierSchedule is { } name ? TierSchedules[name] : TierSchedule.Flat))]));
        resolver = new ModelResolver<Pair>(
            entriesByModel.Select(p => (p.Key.Provider, p.Key.Model, p.Value)),
            pairs.Select(g => (g.Key, Match: g.LastOrDefault(p => p.Match is not null)?.Match))
                .Where(p => p.Match is not null)
                .Select(p => (p.Key.Provider, p.Key.Model, p.Match!)),
            ProviderFallbacks);
    }

    /// <summary>
    /// The built-in catalog (SPEC §13): the seven entries of SPEC §4, which win wherever they speak, and the community
    /// snapshot for every other pair. Both are data files inside this assembly.
    /// </summary>
    public static PriceCatalog Default { get; } = BuiltIn.Load();

    /// <summary>The seven entries and two tier schedules of SPEC §4 alone.</summary>
    public static PriceCatalog Spec => BuiltIn.Spec;

    public string Currency { get; }

    public FrozenDictionary<string, TierSchedule> TierSchedules { get; }

    /// <summary>Every entry: pairs in the order they were first listed (the order rules are tried in), each by effective date.</summary>
    public IReadOnlyList<PriceEntry> Prices { get; }

    /// <summary>Providers whose unknown names are looked up in other providers' entries (e.g. <c>azure</c> → <c>openai</c>).</summary>
    public FrozenDictionary<string, IReadOnlyList<string>> ProviderFallbacks { get; }

    /// <summary>The pair a model name prices as, or null; cached per (provider, name).</summary>
    public ModelResolution? Resolve(string provider, string model) =>
        resolver.TryResolve(provider, model, out var pair, out var matchedBy)
            ? matchedBy is null ? pair.Resolution : pair.Resolution with { MatchedBy = matchedBy }
            : null;

    /// <summary>The entries of one pair, by effective date; empty when the catalog has none.</summary>
    public IReadOnlyList<PriceEntry> EntriesOf(string provider, string model) =>
        entriesByModel.TryGetValue(new ModelKey(provider, model), out var pair) ? [.. pair.Entries.Select(e => e.Entry)] : [];

    /// <summary>The entry in effect for (provider, model) at <paramref name="at"/>, or null.</summary>
    public PriceEntry? Find(string provider, string model, DateTimeOffset at) =>
        TryFind(provider, model, at, out var entry, out _) ? entry : null;

    /// <summary>The entry in effect for (provider, model) at <paramref name="at"/> and the tier schedule it names.</summary>
    public bool TryFind(string provider, string model, DateTimeOffset at, [NotNullWhen(true)] out PriceEntry? entry, [NotNullWhen(true)] out TierSchedule? schedule) =>
        TryFind(provider, model, at, out entry, out schedule, out _);

    /// <summary>
    /// The entry in effect at <paramref name="at"/> for the pair a model name prices as (exactly, or by a rule,
    /// <see cref="Resolve"/>), the tier schedule it names and the rule that matched (null for the exact name).
    /// </summary>
    public bool TryFind(
        string provider,
        string model,
        DateTimeOffset at,
        [NotNullWhen(true)] out PriceEntry? entry,
        [NotNullWhen(true)] out TierSchedule? schedule,
        out ModelMatch? matchedBy)
    {
        if (resolver.TryResolve(provider, model, out var pair, out matchedBy))
        {
            var entries = pair.Entries;
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                if (entries[i].Entry.EffectiveFrom <= at)
                {
                    (entry, schedule) = entries[i];
                    return true;
                }
            }
        }

        entry = null;
        schedule = null;
        return false;
    }

    /// <summary>True when the catalog prices the model name at some time, whether or not at a given one.</summary>
    public bool Knows(string provider, string model) => resolver.TryResolve(provider, model, out _, out _);

    /// <summary>True when (provider, model) is one of the catalog's own pairs, not just a name one of its rules matches.</summary>
    public bool HasPair(string provider, string model) => entriesByModel.ContainsKey(new ModelKey(provider, model));

    /// <summary>
    /// The discount schedule that applies to an entry for a tenant: the tenant's override for the provider when it
    /// has one, else the entry's own, else none.
    /// </summary>
    public TierSchedule ScheduleFor(PriceEntry entry, TenantSettings tenant)
    {
        var name = tenant.TierScheduleFor(entry.Provider) ?? entry.TierSchedule;
        return name is null ? TierSchedule.Flat : TierSchedules[name];
    }

    /// <summary>The tenant's override of <paramref name="catalogSchedule"/> for the provider, if it has one.</summary>
    internal TierSchedule ScheduleFor(string provider, TierSchedule catalogSchedule, TenantSettings tenant) =>
        tenant.TierScheduleFor(provider) is { } name ? TierSchedules[name] : catalogSchedule;

    /// <summary>A new catalog with one more entry; the entry is validated against the rest.</summary>
    public PriceCatalog With(PriceEntry entry) => With([entry]);

    /// <summary>A new catalog with more entries, validated against the rest.</summary>
    public PriceCatalog With(IEnumerable<PriceEntry> entries) => new(Currency, TierSchedules.Values, Prices.Concat(entries), ProviderFallbacks);

    /// <summary>Problems in a tenant's settings against this catalog (an override naming an unknown schedule).</summary>
    public IReadOnlyList<string> ProblemsWith(TenantSettings tenant)
    {
        var problems = new List<string>();
        if (tenant.CycleAnchorDay is < 1 or > 28)
        {
            problems.Add($"tenant '{tenant.TenantId}': cycleAnchorDay must be between 1 and 28, not {tenant.CycleAnchorDay}");
        }

        foreach (var (provider, schedule) in tenant.TierScheduleOverrides)
        {
            if (!TierSchedules.ContainsKey(schedule))
            {
                problems.Add($"tenant '{tenant.TenantId}': tier schedule '{schedule}' for provider '{provider}' is not in the catalog");
            }
        }

        return problems;
    }

    private List<string> Problems()
    {
        var problems = new List<string>();
        foreach (var price in Prices)
        {
            problems.AddRange(ProblemsOf(price));
        }

        foreach (var sameDate in Prices.GroupBy(p => (p.Provider, p.Model, p.EffectiveFrom)).Where(g => g.Count() > 1))
        {
            problems.Add($"{sameDate.Key.Provider}/{sameDate.Key.Model} has {sameDate.Count()} entries effective from {sameDate.Key.EffectiveFrom:O}; a pair may have one entry per effectiveFrom");
        }

        return problems;
    }

    private IEnumerable<string> ProblemsOf(PriceEntry price)
    {
        var name = $"price {price.Provider}/{price.Model}@{price.EffectiveFrom:O}";
        if (string.IsNullOrWhiteSpace(price.Provider))
        {
            yield return $"{name}: provider is required";
        }

        if (string.IsNullOrWhiteSpace(price.Model))
        {
            yield return $"{name}: model is required";
        }

        foreach (var problem in price.Rates.Problems(name))
        {
            yield return problem;
        }

        foreach (var problem in ProblemsOf(name, price.ContextTiers))
        {
            yield return problem;
        }

        for (var i = 0; i < price.Windows.Count; i++)
        {
            var window = price.Windows[i];
            var where = $"{name} windows[{i}]";
            if (window.Start < TimeSpan.Zero || window.Start >= TimeSpan.FromDays(1) || window.End < TimeSpan.Zero || window.End >= TimeSpan.FromDays(1))
            {
                yield return $"{where}: start and end must be UTC times of day in [00:00:00, 24:00:00), got {window.Start:c}–{window.End:c}";
            }

            if (window.Start == window.End)
            {
                yield return $"{where}: an empty window (start equals end, {window.Start:c}) never applies";
            }

            foreach (var problem in window.Rates.Problems(where).Concat(ProblemsOf(where, window.ContextTiers)))
            {
                yield return problem;
            }
        }

        if (price.CacheReadCapTokens < 0)
        {
            yield return $"{name}: cacheReadCapTokens must not be negative, got {price.CacheReadCapTokens}";
        }

        if (price.TierSchedule is { } schedule && !TierSchedules.ContainsKey(schedule))
        {
            yield return $"{name}: tier schedule '{schedule}' is not defined in tierSchedules";
        }
    }

    private static IEnumerable<string> ProblemsOf(string owner, IReadOnlyList<ContextTier> tiers)
    {
        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i].AbovePromptTokens < 0)
            {
                yield return $"{owner} contextTiers[{i}]: abovePromptTokens must not be negative, got {tiers[i].AbovePromptTokens}";
            }

            if (i > 0 && tiers[i].AbovePromptTokens <= tiers[i - 1].AbovePromptTokens)
            {
                yield return $"{owner} contextTiers[{i}]: thresholds must ascend strictly, {tiers[i].AbovePromptTokens} follows {tiers[i - 1].AbovePromptTokens}";
            }

            foreach (var problem in tiers[i].Rates.Problems($"{owner} contextTiers[{i}]"))
            {
                yield return problem;
            }
        }
    }

    private readonly record struct ModelKey(string Provider, string Model);

    private readonly record struct ScheduledEntry(PriceEntry Entry, TierSchedule Schedule);

    /// <summary>One pair's entries by effective date, and how it resolves when named exactly.</summary>
    private sealed record Pair(ModelResolution Resolution, ScheduledEntry[] Entries);
}
