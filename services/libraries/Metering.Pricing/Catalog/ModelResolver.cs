using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Metering.Pricing.Catalog;

/// <summary>
/// Finds the catalog pair a model name prices as (SPEC §13): the exact pair first; else, in catalog order, the first
/// pair of the provider whose rule matches the name lower-cased and trimmed; else the same in each of the provider's
/// fallbacks; else all of that again with a dated snapshot suffix written with dashes (<c>-20250929</c> →
/// <c>-2025-09-29</c>), as the community calculator does. Answers are cached per (provider, name), so the hot path
/// looks a name up once and then never allocates. <typeparamref name="TPair"/> is what the catalog keeps per pair.
/// </summary>
internal sealed partial class ModelResolver<TPair>
    where TPair : class
{
    /// <summary>
    /// Names, and providers without pairs, are cached up to this many; past it (a producer sending random names) they
    /// are worked out each time.
    /// </summary>
    private const int MaxCached = 100_000;

    private readonly FrozenDictionary<string, Names> known;
    private readonly ConcurrentDictionary<string, Names> others = new(StringComparer.Ordinal);
    private readonly FrozenDictionary<string, (string Model, ModelMatch Match)[]> rulesByProvider;
    private readonly FrozenDictionary<string, string[]> fallbacks;
    private int cached;

    public ModelResolver(
        IEnumerable<(string Provider, string Model, TPair Pair)> pairs,
        IEnumerable<(string Provider, string Model, ModelMatch Match)> rules,
        IReadOnlyDictionary<string, IReadOnlyList<string>> fallbacks)
    {
        known = pairs.GroupBy(p => p.Provider, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => new Names(g.ToFrozenDictionary(p => p.Model, p => p.Pair, StringComparer.Ordinal)), StringComparer.Ordinal);
        rulesByProvider = rules.GroupBy(r => r.Provider, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(r => (r.Model, r.Match)).ToArray(), StringComparer.Ordinal);
        this.fallbacks = fallbacks.ToFrozenDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The pair a name prices as and the rule that matched (null for the exact name); false when none does.</summary>
    public bool TryResolve(string provider, string model, out TPair pair, out ModelMatch? matchedBy)
    {
        matchedBy = null;
        if (!known.TryGetValue(provider, out var names) && !others.TryGetValue(provider, out names))
        {
            // A provider with no pair of its own: one priced through its fallbacks, or one we do not know.
            names = new Names(FrozenDictionary<string, TPair>.Empty);
            if (Volatile.Read(ref cached) < MaxCached && others.TryAdd(provider, names))
            {
                Interlocked.Increment(ref cached);
            }
        }

        if (names.Exact.TryGetValue(model, out pair!))
        {
            return true;
        }

        if (!names.Matched.TryGetValue(model, out var found))
        {
            found = Search(provider, model);
            if (Volatile.Read(ref cached) < MaxCached && names.Matched.TryAdd(model, found))
            {
                Interlocked.Increment(ref cached);
            }
        }

        if (found is { } hit)
        {
            (pair, matchedBy) = hit;
            return true;
        }

        pair = null!;
        return false;
    }

    private (TPair, ModelMatch)? Search(string provider, string model)
    {
        var name = model.Trim().ToLowerInvariant();
        if (SearchWithFallbacks(provider, name) is { } found)
        {
            return found;
        }

        var dashed = DatedSuffix().Replace(name, DashDate);
        return dashed != name ? SearchWithFallbacks(provider, dashed) : null;
    }

    private (TPair, ModelMatch)? SearchWithFallbacks(string provider, string name)
    {
        if (SearchProvider(provider, name) is { } found)
        {
            return found;
        }

        foreach (var fallback in fallbacks.GetValueOrDefault(provider, []))
        {
            if (SearchProvider(fallback, name) is { } viaFallback)
            {
                return viaFallback;
            }
        }

        return null;
    }

    private (TPair, ModelMatch)? SearchProvider(string provider, string name)
    {
        foreach (var (model, match) in rulesByProvider.GetValueOrDefault(provider, []))
        {
            if (match.MatchOf(name) is { } matched)
            {
                return (known[provider].Exact[model], matched);
            }
        }

        return null;
    }

    private static string DashDate(Match m)
    {
        var (year, month, day) = (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value));
        return day <= DateTime.DaysInMonth(year, month) ? $"-{m.Groups[1].Value}-{m.Groups[2].Value}-{m.Groups[3].Value}" : m.Value;
    }

    [GeneratedRegex("-(20\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(?=-|:|$)", RegexOptions.CultureInvariant)]
    private static partial Regex DatedSuffix();

    /// <summary>One provider's names: its own pairs, and the answers for the names a rule matched (or none did).</summary>
    private sealed class Names(FrozenDictionary<string, TPair> exact)
    {
        public FrozenDictionary<string, TPair> Exact { get; } = exact;

        public ConcurrentDictionary<string, (TPair Pair, ModelMatch Match)?> Matched { get; } = new(StringComparer.Ordinal);
    }
}
