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
    /// <summary>Names are cached up to this many; past it (a producer sending random names) they are worked out each time.</summary>
    private const int MaxCached = 100_000;

    private readonly FrozenDictionary<string, FrozenDictionary<string, TPair>> exact;
    private readonly FrozenDictionary<string, (string Model, ModelMatch Match)[]> rulesByProvider;
    private readonly FrozenDictionary<string, string[]> fallbacks;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (TPair Pair, ModelMatch Match)?>> cache = new(StringComparer.Ordinal);
    private int cached;

    public ModelResolver(
        IEnumerable<(string Provider, string Model, TPair Pair)> pairs,
        IEnumerable<(string Provider, string Model, ModelMatch Match)> rules,
        IReadOnlyDictionary<string, IReadOnlyList<string>> fallbacks)
    {
        exact = pairs.GroupBy(p => p.Provider, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToFrozenDictionary(p => p.Model, p => p.Pair, StringComparer.Ordinal), StringComparer.Ordinal);
        rulesByProvider = rules.GroupBy(r => r.Provider, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(r => (r.Model, r.Match)).ToArray(), StringComparer.Ordinal);
        this.fallbacks = fallbacks.ToFrozenDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The pair a name prices as and the rule that matched (null for the exact name); false when none does.</summary>
    public bool TryResolve(string provider, string model, out TPair pair, out ModelMatch? matchedBy)
    {
        matchedBy = null;
        if (exact.TryGetValue(provider, out var models) && models.TryGetValue(model, out pair!))
        {
            return true;
        }

        var names = cache.GetOrAdd(provider, static _ => new ConcurrentDictionary<string, (TPair, ModelMatch)?>(StringComparer.Ordinal));
        if (!names.TryGetValue(model, out var found))
        {
            found = Search(provider, model);
            if (Volatile.Read(ref cached) < MaxCached && names.TryAdd(model, found))
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
                return (exact[provider][model], matched);
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
}
