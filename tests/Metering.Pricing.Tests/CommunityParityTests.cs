using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metering.Pricing;
using Metering.Pricing.Catalog;
using Xunit.Abstractions;

namespace Metering.Pricing.Tests;

/// <summary>
/// SPEC §13 parity: for every community model of the built-in catalog and a spread of usages — with and without cache
/// reads and writes and reasoning tokens, just below, at and above every context threshold, inside and outside every
/// daily window, before and after every dated change — our price equals the dataset's own calculator
/// (<c>calcPrice</c> of <c>@pydantic/genai-prices</c>, under Node) to 1e-9 USD.
/// </summary>
public sealed class CommunityParityTests(ITestOutputHelper output)
{
    private const decimal Tolerance = 0.000000001m;
    private static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_community_model_prices_as_the_datasets_own_calculator_prices_it()
    {
        var catalog = PriceCatalog.Default;
        var pairs = catalog.Prices.Where(p => p.Source is not null).GroupBy(p => (p.Provider, p.Model)).ToList();

        // A name for each model that both calculators resolve to it: its id, else one its rule names.
        var probes = pairs.SelectMany(pair => NamesOf(pair.Last()).Select(name => (pair.Key, Name: name))).ToList();
        var probed = await CalcPriceAsync(probes.Select((p, i) => Case(i, p.Key.Provider, p.Name, Noon, new TokenCounts(1000, 1000))));
        var names = new Dictionary<(string, string), string>();
        for (var i = 0; i < probes.Count; i++)
        {
            var (key, name) = probes[i];
            if (!names.ContainsKey(key) && (string?)probed[i]["modelId"] == key.Model && catalog.Resolve(key.Provider, name) is { } ours && (ours.Provider, ours.Model) == key)
            {
                names[key] = name;
            }
        }

        var cases = new List<(string Provider, string Model, DateTimeOffset At, TokenCounts Tokens)>();
        foreach (var pair in pairs.Where(p => names.ContainsKey(p.Key)))
        {
            foreach (var at in MomentsOf(pair.ToList()))
            {
                foreach (var tokens in UsagesOf(pair.ToList()))
                {
                    cases.Add((pair.Key.Provider, names[pair.Key], at, tokens));
                }
            }
        }

        var reference = await CalcPriceAsync(cases.Select((c, i) => Case(i, c.Provider, c.Model, c.At, c.Tokens)));
        var mismatches = new List<string>();
        var charges = new BucketCharge[BucketCharge.MaxPerEvent];
        for (var i = 0; i < cases.Count; i++)
        {
            var (provider, model, at, tokens) = cases[i];
            var expected = reference[i]["total"] is { } total ? decimal.Parse(total.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) : (decimal?)null;
            decimal? ours = Pricer.TryResolve(catalog, TenantSettings.DefaultFor("t"), provider, model, at, out var terms)
                ? Pricer.Price(tokens, terms.Entry, terms.Schedule, 0, at, charges).Cost
                : null;
            if (expected is null || ours is null || Math.Abs(ours.Value - expected.Value) > Tolerance)
            {
                mismatches.Add($"{provider}/{model} at {at:O} {tokens}: ours {ours?.ToString(CultureInfo.InvariantCulture) ?? "none"}, calcPrice {expected?.ToString(CultureInfo.InvariantCulture) ?? reference[i]["error"]?.ToString() ?? "none"}");
            }
        }

        var spec = catalog.Prices.Count(p => p.Source is null);
        output.WriteLine(
            $"parity: {names.Count} community models compared in {cases.Count} usages, {mismatches.Count} mismatches; " +
            $"{pairs.Count - names.Count} community models have no name both calculators resolve to them; {spec} entries of SPEC §4 (ours, not compared)");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} usages differ:\n{string.Join("\n", mismatches.Take(20))}");
        Assert.True(names.Count > pairs.Count * 95 / 100, $"only {names.Count} of {pairs.Count} community models could be compared");
    }

    private static IEnumerable<string> NamesOf(PriceEntry entry)
    {
        yield return entry.Model;
        foreach (var rule in Leaves(entry.Match))
        {
            if (rule.Kind is MatchKind.Equals or MatchKind.StartsWith && rule.Value is { } value)
            {
                yield return value;
            }
        }
    }

    private static IEnumerable<ModelMatch> Leaves(ModelMatch? match) =>
        match is null ? [] : match.Kind is MatchKind.Or or MatchKind.And ? match.Rules.SelectMany(Leaves) : [match];

    /// <summary>Noon, and a second before, at and a minute after every dated change and every window's start and end.</summary>
    private static IEnumerable<DateTimeOffset> MomentsOf(List<PriceEntry> entries)
    {
        var moments = new SortedSet<DateTimeOffset> { Noon };
        foreach (var entry in entries.Where(e => e.EffectiveFrom.Year > 1970))
        {
            moments.UnionWith([entry.EffectiveFrom.AddSeconds(-1), entry.EffectiveFrom, entry.EffectiveFrom.AddMinutes(1)]);
        }

        foreach (var window in entries.SelectMany(e => e.Windows))
        {
            foreach (var edge in new[] { window.Start, window.End })
            {
                var at = new DateTimeOffset(Noon.Date, TimeSpan.Zero) + edge;
                moments.UnionWith([at.AddSeconds(-1), at, at.AddMinutes(1)]);
            }
        }

        return moments;
    }

    /// <summary>Small and large prompts with and without cache reads, cache writes and reasoning, and each context threshold −1, +0, +1.</summary>
    private static IEnumerable<TokenCounts> UsagesOf(List<PriceEntry> entries)
    {
        var prompts = new SortedSet<long> { 1_000, 150_000, 1_500_000 };
        foreach (var tier in entries.SelectMany(e => e.ContextTiers.Concat(e.Windows.SelectMany(w => w.ContextTiers))))
        {
            prompts.UnionWith([tier.AbovePromptTokens - 1, tier.AbovePromptTokens, tier.AbovePromptTokens + 1]);
        }

        foreach (var prompt in prompts.Where(p => p > 0))
        {
            yield return new TokenCounts(prompt, 700);
            yield return new TokenCounts(prompt, 20_000, Cached: prompt / 2);
            yield return new TokenCounts(prompt, 300, CacheWrite: prompt / 4);
            yield return new TokenCounts(prompt, 5_000, Cached: prompt / 3, CacheWrite: prompt / 5, Reasoning: 4_000);
        }
    }

    private static string Case(int id, string provider, string model, DateTimeOffset at, TokenCounts tokens) =>
        new JsonObject
        {
            ["id"] = id,
            ["provider"] = provider,
            ["model"] = model,
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = tokens.Prompt,
                ["cache_read_tokens"] = tokens.Cached,
                ["cache_write_tokens"] = tokens.CacheWrite,
                ["output_tokens"] = tokens.Completion,
                ["output_reasoning_tokens"] = tokens.Reasoning,
            },
        }.ToJsonString();

    /// <summary>Runs <c>infra/node/calc-prices.mjs</c> over the cases; its answers come back in the same order.</summary>
    private static Task<List<JsonNode>> CalcPriceAsync(IEnumerable<string> cases) => NodeTools.RunAsync("calc-prices.mjs", cases);
}
