using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Metering.Pricing.Catalog;

/// <summary>
/// Effective-dated price entries and the tier schedules they name, validated as a whole.
/// Immutable: adding an entry makes a new catalog.
/// </summary>
public sealed class PriceCatalog
{
    private readonly FrozenDictionary<ModelKey, ScheduledEntry[]> entriesByModel;

    public PriceCatalog(string currency, IEnumerable<TierSchedule> tierSchedules, IEnumerable<PriceEntry> prices)
    {
        Currency = string.IsNullOrWhiteSpace(currency) ? "USD" : currency;
        TierSchedules = tierSchedules.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        Prices = [.. prices.OrderBy(p => p.Provider, StringComparer.Ordinal)
            .ThenBy(p => p.Model, StringComparer.Ordinal)
            .ThenBy(p => p.EffectiveFrom)];

        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new CatalogException(problems);
        }

        entriesByModel = Prices
            .GroupBy(p => new ModelKey(p.Provider, p.Model))
            .ToFrozenDictionary(
                g => g.Key,
                g => g.Select(p => new ScheduledEntry(p, p.TierSchedule is { } name ? TierSchedules[name] : TierSchedule.Flat)).ToArray());
    }

    /// <summary>The built-in catalog of SPEC §4, kept as a data file inside this assembly.</summary>
    public static PriceCatalog Default { get; } = LoadDefault();

    public string Currency { get; }

    public FrozenDictionary<string, TierSchedule> TierSchedules { get; }

    /// <summary>Every entry, ordered by provider, model and effective date.</summary>
    public IReadOnlyList<PriceEntry> Prices { get; }

    /// <summary>The entry in effect for (provider, model) at <paramref name="at"/>, or null.</summary>
    public PriceEntry? Find(string provider, string model, DateTimeOffset at) =>
        TryFind(provider, model, at, out var entry, out _) ? entry : null;

    /// <summary>The entry in effect for (provider, model) at <paramref name="at"/> and the tier schedule it names.</summary>
    public bool TryFind(string provider, string model, DateTimeOffset at, [NotNullWhen(true)] out PriceEntry? entry, [NotNullWhen(true)] out TierSchedule? schedule)
    {
        if (entriesByModel.TryGetValue(new ModelKey(provider, model), out var entries))
        {
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

    /// <summary>True when the catalog prices (provider, model) at some time, whether or not at a given one.</summary>
    public bool Knows(string provider, string model) => entriesByModel.ContainsKey(new ModelKey(provider, model));

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
    public PriceCatalog With(PriceEntry entry) => new(Currency, TierSchedules.Values, Prices.Append(entry));

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

        foreach (var (field, rate) in new[]
        {
            ("inputPerMillion", (decimal?)price.InputPerMillion),
            ("outputPerMillion", price.OutputPerMillion),
            ("cacheReadPerMillion", price.CacheReadPerMillion),
            ("cacheWritePerMillion", price.CacheWritePerMillion),
        })
        {
            if (rate < 0m)
            {
                yield return $"{name}: {field} must not be negative, got {rate}";
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

    private static PriceCatalog LoadDefault()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream("Metering.Pricing.default-catalog.json")
            ?? throw new InvalidOperationException("the default catalog resource is missing from Metering.Pricing");
        return CatalogJson.Read(stream);
    }

    private readonly record struct ModelKey(string Provider, string Model);

    private readonly record struct ScheduledEntry(PriceEntry Entry, TierSchedule Schedule);
}
