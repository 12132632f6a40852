using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Metering.Pricing.Catalog;

/// <summary>
/// Finds the catalog pair a model name prices as (SPEC §13): the exact pair first; else, in catalog order, the first
/// pair of the provider whose rule matches the name lower-cased and trimmed; else the same in each of the provider's
/// fallbacks; else all of that again with a dated snapshot suffix written with dashes (<c>-20250929</c> →
/// <c>-2025-09-29</c>), as the community calculator does. Answers are cached per (provider, name), so the hot path
/// looks a name up once and then never allocates.
/// </summary>
internal sealed partial class ModelResolver(
    FrozenDictionary<(string Provider, string Model), ModelResolution> exact,
    FrozenDictionary<string, (string Model, ModelMatch Match)[]> rulesByProvider,
    FrozenDictionary<string, string[]> fallbacks)
{
    /// <summary>Names are cached up to this many; past it (a producer sending random names) they are worked out each time.</summary>
    private const int MaxCached = 100_000;

    private readonly ConcurrentDictionary<(string Provider, string Model), ModelResolution?> cache = new();

    public ModelResolution? Resolve(string provider, string model)
    {
        if (exact.TryGetValue((provider, model), out var pair))
        {
            return pair;
        }

        if (cache.TryGetValue((provider, model), out var known))
        {
            return known;
        }

        var found = Search(provider, model);
        if (cache.Count < MaxCached)
        {
            cache.TryAdd((provider, model), found);
        }

        return found;
    }

    private ModelResolution? Search(string provider, string model)
    {
        var name = model.Trim().ToLowerInvariant();
        if (SearchWithFallbacks(provider, name) is { } found)
        {
            return found;
        }

        var dashed = DatedSuffix().Replace(name, DashDate);
        return dashed != name ? SearchWithFallbacks(provider, dashed) : null;
    }

    private ModelResolution? SearchWithFallbacks(string provider, string name)
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

    private ModelResolution? SearchProvider(string provider, string name)
    {
        foreach (var (model, match) in rulesByProvider.GetValueOrDefault(provider, []))
        {
            if (match.MatchOf(name) is { } matched)
            {
                return new ModelResolution(provider, model, matched);
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
