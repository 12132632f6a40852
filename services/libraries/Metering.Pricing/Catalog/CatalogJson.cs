using System.Text.Json;
using System.Text.Json.Serialization;

namespace Metering.Pricing.Catalog;

/// <summary>The JSON form of a catalog (SPEC §4). Decimals may be JSON strings or numbers; absent optional fields mean null.</summary>
public static class CatalogJson
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly JsonSerializerOptions WriteOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
    };

    public static PriceCatalog Read(Stream json)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, ReadOptions);
        }
        catch (JsonException e)
        {
            throw new CatalogException($"not a readable catalog at {e.Path ?? "$"} (line {e.LineNumber + 1}): {FirstSentence(e.Message)}", e);
        }

        return document is null ? throw new CatalogException("the catalog is empty (null)") : ToCatalog(document);
    }

    public static PriceCatalog Read(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return Read(stream);
    }

    /// <summary>Reads one price entry in its catalog JSON form; schedule names are checked when it joins a catalog.</summary>
    public static PriceEntry ReadEntry(string json)
    {
        PriceDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PriceDocument>(json, ReadOptions);
        }
        catch (JsonException e)
        {
            throw new CatalogException($"not a readable price entry at {e.Path ?? "$"}: {FirstSentence(e.Message)}", e);
        }

        var problems = new List<string>();
        var entry = document is null ? null : ToEntry(document, 0, problems);
        return entry is null || problems.Count > 0
            ? throw new CatalogException(problems.Count > 0 ? problems : ["the price entry is empty (null)"])
            : entry;
    }

    public static string Write(PriceCatalog catalog) => WriteDocument(ToDocument(catalog));

    private static readonly JsonSerializerOptions TermsOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>An entry's match rule, context tiers and daily windows as JSON (how the database keeps them); null when it has none.</summary>
    public static string? WriteTerms(PriceEntry entry) =>
        entry.Match is null && entry.ContextTiers.Count == 0 && entry.Windows.Count == 0 ? null
        : JsonSerializer.Serialize(
            new TermsDocument
            {
                Match = entry.Match is null ? null : TermsJson.ToDocument(entry.Match),
                ContextTiers = TermsJson.ToDocuments(entry.ContextTiers),
                Windows = TermsJson.ToDocuments(entry.Windows),
            },
            TermsOptions);

    /// <summary>The entry with the terms <see cref="WriteTerms"/> wrote.</summary>
    public static PriceEntry WithTerms(PriceEntry entry, string? json)
    {
        if (json is null)
        {
            return entry;
        }

        var document = JsonSerializer.Deserialize<TermsDocument>(json, ReadOptions) ?? new TermsDocument();
        var problems = new List<string>();
        var owner = $"price {entry.Id}";
        var withTerms = entry with
        {
            Match = document.Match is null ? null : TermsJson.ToMatch(document.Match, owner, problems),
            ContextTiers = TermsJson.ToTiers(document.ContextTiers, owner, problems),
            Windows = TermsJson.ToWindows(document.Windows, owner, problems),
        };
        return problems.Count > 0 ? throw new CatalogException(problems) : withTerms;
    }

    public static string WriteDocument(CatalogDocument document) => JsonSerializer.Serialize(document, WriteOptions);

    /// <summary>The catalog's tier schedules and provider fallbacks in their JSON form, without its prices.</summary>
    public static CatalogDocument HeaderOf(PriceCatalog catalog) => ToDocument(catalog, []);

    public static CatalogDocument ToDocument(PriceCatalog catalog) => ToDocument(catalog, catalog.Prices);

    private static CatalogDocument ToDocument(PriceCatalog catalog, IEnumerable<PriceEntry> prices) => new()
    {
        Currency = catalog.Currency,
        ProviderFallbacks = catalog.ProviderFallbacks.Count == 0 ? null
            : catalog.ProviderFallbacks.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => (List<string>?)[.. f.Value]),
        TierSchedules = catalog.TierSchedules.Values
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(s => s.Name, s => (List<TierStepDocument>?)[.. s.Steps.Select(t => new TierStepDocument { FromTokens = t.FromTokens, Discount = t.Discount })]),
        Prices = [.. prices.Select(p => (PriceDocument?)ToDocument(p))],
    };

    public static PriceDocument ToDocument(PriceEntry p) => new()
    {
        Provider = p.Provider,
        Model = p.Model,
        EffectiveFrom = p.EffectiveFrom,
        InputPerMillion = p.InputPerMillion,
        OutputPerMillion = p.OutputPerMillion,
        CacheReadPerMillion = p.CacheReadPerMillion,
        CacheReadCapTokens = p.CacheReadCapTokens,
        CacheWritePerMillion = p.CacheWritePerMillion,
        ReasoningPerMillion = p.ReasoningPerMillion,
        BillsReservedOutput = p.BillsReservedOutput,
        TierSchedule = p.TierSchedule,
        Match = p.Match is null ? null : TermsJson.ToDocument(p.Match),
        ContextTiers = TermsJson.ToDocuments(p.ContextTiers),
        Windows = TermsJson.ToDocuments(p.Windows),
        Source = p.Source,
    };

    private static PriceCatalog ToCatalog(CatalogDocument document)
    {
        var problems = new List<string>();
        var schedules = new List<TierSchedule>();
        foreach (var (name, steps) in document.TierSchedules ?? [])
        {
            var tierSteps = (steps ?? []).Select(s => new TierStep(s.FromTokens ?? -1, s.Discount ?? -1m)).ToList();
            var stepProblems = TierSchedule.Problems(name, tierSteps);
            for (var i = 0; i < (steps?.Count ?? 0); i++)
            {
                if (steps![i].FromTokens is null)
                {
                    stepProblems.Add($"tier schedule '{name}' step {i}: fromTokens is required");
                }

                if (steps[i].Discount is null)
                {
                    stepProblems.Add($"tier schedule '{name}' step {i}: discount is required");
                }
            }

            if (stepProblems.Count == 0)
            {
                schedules.Add(new TierSchedule(name, tierSteps));
            }

            problems.AddRange(stepProblems);
        }

        var prices = new List<PriceEntry>();
        var index = 0;
        foreach (var price in document.Prices ?? [])
        {
            if (ToEntry(price, index++, problems) is { } entry)
            {
                prices.Add(entry);
            }
        }

        if (problems.Count > 0)
        {
            throw new CatalogException(problems);
        }

        var fallbacks = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (provider, others) in document.ProviderFallbacks ?? [])
        {
            if (others is null || others.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"providerFallbacks '{provider}': a list of provider names is required");
                continue;
            }

            fallbacks[provider] = others;
        }

        if (problems.Count > 0)
        {
            throw new CatalogException(problems);
        }

        return new PriceCatalog(document.Currency ?? "USD", schedules, prices, fallbacks);
    }

    private static PriceEntry? ToEntry(PriceDocument? price, int index, List<string> problems)
    {
        if (price is null)
        {
            problems.Add($"prices[{index}] is null");
            return null;
        }

        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(price.Provider)) missing.Add("provider");
        if (string.IsNullOrWhiteSpace(price.Model)) missing.Add("model");
        if (price.EffectiveFrom is null) missing.Add("effectiveFrom");
        if (price.InputPerMillion is null) missing.Add("inputPerMillion");
        if (price.OutputPerMillion is null) missing.Add("outputPerMillion");
        if (missing.Count > 0)
        {
            problems.Add($"prices[{index}] ({price.Provider ?? "?"}/{price.Model ?? "?"}): {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} required");
            return null;
        }

        var owner = $"prices[{index}] ({price.Provider}/{price.Model})";
        var before = problems.Count;
        var match = price.Match is null ? null : TermsJson.ToMatch(price.Match, owner, problems);
        var tiers = TermsJson.ToTiers(price.ContextTiers, owner, problems);
        var windows = TermsJson.ToWindows(price.Windows, owner, problems);
        if (problems.Count > before)
        {
            return null;
        }

        return new PriceEntry
        {
            Provider = price.Provider!,
            Model = price.Model!,
            EffectiveFrom = price.EffectiveFrom!.Value,
            InputPerMillion = price.InputPerMillion!.Value,
            OutputPerMillion = price.OutputPerMillion!.Value,
            CacheReadPerMillion = price.CacheReadPerMillion,
            CacheReadCapTokens = price.CacheReadCapTokens,
            CacheWritePerMillion = price.CacheWritePerMillion,
            ReasoningPerMillion = price.ReasoningPerMillion,
            BillsReservedOutput = price.BillsReservedOutput ?? false,
            TierSchedule = price.TierSchedule,
            Match = match,
            ContextTiers = tiers,
            Windows = windows,
            Source = price.Source,
        };
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
