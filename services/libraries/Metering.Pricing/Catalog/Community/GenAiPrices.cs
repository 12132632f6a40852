using System.Globalization;
using System.Text.Json;

namespace Metering.Pricing.Catalog.Community;

/// <summary>
/// Converts the dataset of the npm package <c>@pydantic/genai-prices</c> (MIT; its providers, models, match rules and
/// prices) into our catalog (SPEC §13). Each model becomes one pair, its rule the pair's match rule, and its list of
/// conditional prices a run of effective-dated entries with daily windows:
/// <list type="bullet">
/// <item>The dataset picks a price by trying its list from the last item back: an unconstrained item always applies,
/// a <c>start_date</c> item from that UTC midnight on, a <c>time_of_date</c> item inside its daily window; when none
/// does, the first item. Between two start dates every date test has one answer, so each such period becomes one
/// entry: the windows met before the first item that applies, in the order they are tried, and that item's prices
/// as the entry's own. The first entry is effective from <see cref="Always"/>.</item>
/// <item>A tiered price (<c>{base, tiers: [{start, price}]}</c>) applies a tier when the request's input tokens are
/// strictly above its start, to the whole request: a context tier of ours. The tiers of all prices are merged on their
/// thresholds, so every bucket's rate at every threshold is the dataset's.</item>
/// <item><c>input_mtok</c>, <c>output_mtok</c>, <c>cache_read_mtok</c>, <c>cache_write_mtok</c> and
/// <c>output_reasoning_mtok</c> map onto our rates. Prices of things our events do not count (audio, images, pages,
/// searches, one-hour cache writes) are left out and counted: our events carry no such counts, so the dataset's
/// calculator prices them at nothing too. A model with no prices at all is free (priced at 0, as the dataset does);
/// one priced per request, or only by things other than text tokens, is skipped.</item>
/// </list>
/// </summary>
public static class GenAiPrices
{
    public const string Name = "genai-prices";

    /// <summary>Where the dataset's unconstrained prices start: they have no date, so they apply to any event.</summary>
    public static readonly DateTimeOffset Always = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] TokenKeys = ["input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "output_reasoning_mtok"];

    public static async Task<CommunityConversion> ConvertAsync(Stream dataset, CancellationToken cancellationToken = default)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(dataset, new JsonDocumentOptions { MaxDepth = 64 }, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new CatalogException($"the {Name} dataset is not JSON: {e.Message}", e);
        }

        using (document)
        {
            return Convert(document.RootElement);
        }
    }

    /// <summary>
    /// Converts a dataset: either the providers array itself (the dataset's own <c>data.json</c>) or the object the
    /// extract script writes, <c>{"package", "version", "extractedAt", "providers": [...]}</c>.
    /// </summary>
    public static CommunityConversion Convert(JsonElement root)
    {
        var (providers, version, date) = root.ValueKind switch
        {
            JsonValueKind.Array => (root, null, null),
            JsonValueKind.Object when root.TryGetProperty("providers", out var list) && list.ValueKind == JsonValueKind.Array =>
                (list, Text(root, "version"), Text(root, "extractedAt")),
            _ => throw new CatalogException($"the {Name} dataset must be an array of providers or an object with a 'providers' array"),
        };

        var source = version is null ? Name : $"{Name} {version}";
        var prices = new List<PriceDocument?>();
        var skipped = new List<SkippedModel>();
        var unmetered = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var fallbacks = new Dictionary<string, List<string>?>();
        var models = 0;
        foreach (var provider in providers.EnumerateArray())
        {
            var providerId = Text(provider, "id") ?? throw new CatalogException($"a {Name} provider has no id");
            if (provider.TryGetProperty("fallback_model_providers", out var others) && others.ValueKind == JsonValueKind.Array)
            {
                fallbacks[providerId] = [.. others.EnumerateArray().Select(o => o.GetString()!)];
            }

            if (!provider.TryGetProperty("models", out var modelList) || modelList.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var model in modelList.EnumerateArray())
            {
                models++;
                var modelId = Text(model, "id") ?? throw new CatalogException($"a {Name} model of provider '{providerId}' has no id");
                if (!seen.Add(modelId))
                {
                    skipped.Add(new SkippedModel(providerId, modelId, "listed twice; the first is kept, as the dataset's calculator finds the first"));
                    continue;
                }

                List<PriceDocument>? converted;
                string? reason;
                try
                {
                    converted = ConvertModel(providerId, modelId, model, source, unmetered, out reason);
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new CatalogException($"{Name} model {providerId}/{modelId} is not in the dataset's shape: {e.Message}", e);
                }

                if (converted is null)
                {
                    skipped.Add(new SkippedModel(providerId, modelId, reason!));
                    continue;
                }

                prices.AddRange(converted);
            }
        }

        var catalogDocument = new CatalogDocument
        {
            Source = new CatalogSourceDocument
            {
                Name = "@pydantic/genai-prices",
                Version = version,
                Date = date,
                Url = "https://github.com/pydantic/genai-prices",
                Licence = "MIT",
                Notice = "Price data from @pydantic/genai-prices, Copyright (c) Pydantic Services Inc., MIT licence: see community-catalog.NOTICE.md beside this file.",
            },
            Currency = "USD",
            TierSchedules = [],
            ProviderFallbacks = fallbacks.Count == 0 ? null : fallbacks,
            Prices = prices,
        };

        return new CommunityConversion(catalogDocument, CatalogJson.Read(CatalogJson.WriteDocument(catalogDocument)), models, skipped, unmetered);
    }

    private static List<PriceDocument>? ConvertModel(
        string provider, string model, JsonElement element, string source, SortedDictionary<string, int> unmetered, out string? reason)
    {
        reason = null;
        if (!element.TryGetProperty("match", out var match))
        {
            reason = "no match rule";
            return null;
        }

        var conditional = new List<(string? Kind, DateTimeOffset? StartDate, TimeSpan Start, TimeSpan End, JsonElement Prices)>();
        var prices = element.GetProperty("prices");
        foreach (var item in prices.ValueKind == JsonValueKind.Array ? prices.EnumerateArray().ToList() : new List<JsonElement>())
        {
            var constraint = item.TryGetProperty("constraint", out var c) && c.ValueKind == JsonValueKind.Object ? c : (JsonElement?)null;
            var itemPrices = item.GetProperty("prices");
            if (constraint is null)
            {
                conditional.Add((null, null, default, default, itemPrices));
            }
            else if (Text(constraint.Value, "start_date") is { } startDate)
            {
                conditional.Add(("start_date", DateTimeOffset.ParseExact(startDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), default, default, itemPrices));
            }
            else if (Text(constraint.Value, "start_time") is { } start && Text(constraint.Value, "end_time") is { } end)
            {
                conditional.Add(("time_of_date", null, TimeOfDayUtc(start), TimeOfDayUtc(end), itemPrices));
            }
            else
            {
                reason = $"a price constraint we do not know: {constraint.Value.GetRawText()}";
                return null;
            }
        }

        if (prices.ValueKind == JsonValueKind.Object)
        {
            conditional.Add((null, null, default, default, prices));
        }

        if (conditional.Count == 0)
        {
            reason = "no prices";
            return null;
        }

        foreach (var (_, _, _, _, itemPrices) in conditional)
        {
            var keys = itemPrices.EnumerateObject().Select(p => p.Name).ToList();
            if (keys.Contains("requests_kcount"))
            {
                reason = "charges per request (requests_kcount), which our events do not carry as a price";
                return null;
            }

            // No price at all is the dataset's way of saying free (":free" models, subscriptions): priced at 0, as it does.
            if (keys.Count > 0 && !keys.Contains("input_mtok") && !keys.Contains("output_mtok"))
            {
                reason = $"not priced by text tokens ({string.Join(", ", keys)})";
                return null;
            }

            if (!keys.Contains("input_mtok") && (keys.Contains("cache_read_mtok") || keys.Contains("cache_write_mtok")))
            {
                reason = "prices cache tokens but not input tokens, which the dataset's own calculator refuses";
                return null;
            }

            if (keys.Contains("cache_write_1h_mtok") && !keys.Contains("cache_write_mtok"))
            {
                reason = "prices one-hour cache writes without cache writes, which the dataset's own calculator refuses";
                return null;
            }
        }

        foreach (var key in conditional.SelectMany(c => c.Prices.EnumerateObject().Select(p => p.Name)).Distinct().Where(k => !TokenKeys.Contains(k)))
        {
            unmetered[key] = unmetered.GetValueOrDefault(key) + 1;
        }

        var matchDocument = match.Deserialize<MatchDocument>();
        var entries = new List<PriceDocument>();
        var periods = conditional.Where(c => c.StartDate is not null).Select(c => c.StartDate!.Value).Where(d => d > Always).Distinct().Order().Prepend(Always);
        foreach (var from in periods)
        {
            var windows = new List<WindowDocument?>();
            JsonElement? own = null;
            for (var i = conditional.Count - 1; i >= 0 && own is null; i--)
            {
                var item = conditional[i];
                if (item.Kind is null || (item.Kind == "start_date" && item.StartDate <= from))
                {
                    own = item.Prices;
                }
                else if (item.Kind == "time_of_date")
                {
                    var window = Fill(new WindowDocument { Start = TimeText(item.Start), End = TimeText(item.End) }, item.Prices, out var tiers);
                    window.ContextTiers = tiers;
                    windows.Add(window);
                }
            }

            var entry = Fill(new PriceDocument(), own ?? conditional[0].Prices, out var ownTiers);
            entry.Provider = provider;
            entry.Model = model;
            entry.EffectiveFrom = from;
            entry.Match = matchDocument;
            entry.ContextTiers = ownTiers;
            entry.Windows = windows.Count == 0 ? null : windows;
            entry.Source = source;
            entry.BillsReservedOutput = false;
            if (entries.Count == 0 || !SameTerms(entries[^1], entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Sets a document's rates from one dataset price object, and returns its context tiers (null for none).</summary>
    private static T Fill<T>(T document, JsonElement prices, out List<ContextTierDocument?>? tiers)
        where T : class
    {
        var thresholds = new SortedSet<long>();
        foreach (var key in TokenKeys)
        {
            if (prices.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                foreach (var tier in value.GetProperty("tiers").EnumerateArray())
                {
                    thresholds.Add(tier.GetProperty("start").GetInt64());
                }
            }
        }

        SetRates(document, prices, long.MinValue);
        tiers = thresholds.Count == 0 ? null
            : [.. thresholds.Select(t => (ContextTierDocument?)SetRates(new ContextTierDocument { AbovePromptTokens = t }, prices, t))];
        return document;
    }

    private static T SetRates<T>(T document, JsonElement prices, long threshold)
        where T : class
    {
        decimal? Rate(string key)
        {
            if (!prices.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number)
            {
                return value.GetDecimal();
            }

            var rate = value.GetProperty("base").GetDecimal();
            foreach (var tier in value.GetProperty("tiers").EnumerateArray().OrderBy(t => t.GetProperty("start").GetInt64()))
            {
                if (tier.GetProperty("start").GetInt64() <= threshold)
                {
                    rate = tier.GetProperty("price").GetDecimal();
                }
            }

            return rate;
        }

        var (input, output, cacheRead, cacheWrite, reasoning) =
            (Rate("input_mtok") ?? 0m, Rate("output_mtok") ?? 0m, Rate("cache_read_mtok"), Rate("cache_write_mtok"), Rate("output_reasoning_mtok"));
        switch (document)
        {
            case RatesDocument rates:
                (rates.InputPerMillion, rates.OutputPerMillion, rates.CacheReadPerMillion, rates.CacheWritePerMillion, rates.ReasoningPerMillion) =
                    (input, output, cacheRead, cacheWrite, reasoning);
                break;
            case PriceDocument price:
                (price.InputPerMillion, price.OutputPerMillion, price.CacheReadPerMillion, price.CacheWritePerMillion, price.ReasoningPerMillion) =
                    (input, output, cacheRead, cacheWrite, reasoning);
                break;
        }

        return document;
    }

    private static bool SameTerms(PriceDocument a, PriceDocument b)
    {
        var (fromA, fromB) = (a.EffectiveFrom, b.EffectiveFrom);
        (a.EffectiveFrom, b.EffectiveFrom) = (null, null);
        var same = JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
        (a.EffectiveFrom, b.EffectiveFrom) = (fromA, fromB);
        return same;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A dataset time of day, <c>HH:MM:SS[.fff](Z|±HH:MM)</c>, as a UTC time of day.</summary>
    private static TimeSpan TimeOfDayUtc(string text)
    {
        var offsetAt = text.IndexOfAny(['Z', '+', '-']);
        if (offsetAt < 0 || !TimeSpan.TryParseExact(text[..offsetAt], [@"hh\:mm\:ss", @"hh\:mm\:ss\.FFFFFFF"], CultureInfo.InvariantCulture, out var local))
        {
            throw new CatalogException($"'{text}' is not a time of day with an offset (HH:MM:SS followed by Z or ±HH:MM)");
        }

        var offset = text[offsetAt] == 'Z' ? TimeSpan.Zero
            : TimeSpan.ParseExact(text[(offsetAt + 1)..], @"hh\:mm", CultureInfo.InvariantCulture) * (text[offsetAt] == '-' ? -1 : 1);
        var day = TimeSpan.FromDays(1);
        return TimeSpan.FromTicks((((local - offset).Ticks % day.Ticks) + day.Ticks) % day.Ticks);
    }

    private static string TimeText(TimeSpan time) =>
        time.ToString(time.Ticks % TimeSpan.TicksPerSecond == 0 ? @"hh\:mm\:ss" : @"hh\:mm\:ss\.FFFFFFF", CultureInfo.InvariantCulture);
}
