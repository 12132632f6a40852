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

    public static string Write(PriceCatalog catalog) => JsonSerializer.Serialize(ToDocument(catalog), WriteOptions);

    public static CatalogDocument ToDocument(PriceCatalog catalog) => new()
    {
        Currency = catalog.Currency,
        TierSchedules = catalog.TierSchedules.Values
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(s => s.Name, s => (List<TierStepDocument>?)[.. s.Steps.Select(t => new TierStepDocument { FromTokens = t.FromTokens, Discount = t.Discount })]),
        Prices = [.. catalog.Prices.Select(p => (PriceDocument?)ToDocument(p))],
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
        BillsReservedOutput = p.BillsReservedOutput,
        TierSchedule = p.TierSchedule,
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

        return new PriceCatalog(document.Currency ?? "USD", schedules, prices);
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
            BillsReservedOutput = price.BillsReservedOutput ?? false,
            TierSchedule = price.TierSchedule,
        };
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
