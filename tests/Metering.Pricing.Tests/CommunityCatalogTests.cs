using Metering.Pricing.Catalog;
using Metering.Pricing.Catalog.Community;

namespace Metering.Pricing.Tests;

/// <summary>SPEC §13: match rules, long-context tiers, daily windows, reasoning rates, the loader and imports.</summary>
public sealed class CommunityCatalogTests
{
    private static readonly PriceCatalog Catalog = PriceCatalog.Default;

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("claude-sonnet-4.5")]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("  Claude-Sonnet-4-5  ")]
    public void Dated_snapshots_and_aliases_price_as_one_model(string sent)
    {
        var resolved = Catalog.Resolve("anthropic", sent);

        Assert.Equal(("anthropic", "claude-sonnet-4-5"), (resolved?.Provider, resolved?.Model));
    }

    [Fact]
    public void An_exact_name_beats_a_rule_and_the_rules_of_a_spec_model_price_at_the_specs_rates()
    {
        Assert.True(Catalog.TryFind("openai", "gpt-4o", Given.Noon, out var exact, out _, out var exactRule));
        Assert.True(Catalog.TryFind("openai", "gpt-4o-2024-08-06", Given.Noon, out var alias, out _, out var aliasRule));

        Assert.Null(exactRule);
        Assert.Null(exact.Source);
        Assert.Same(exact, alias);
        Assert.Equal("equals:gpt-4o-2024-08-06", aliasRule?.Text);
        Assert.Equal(2.50m, alias.InputPerMillion);
    }

    [Fact]
    public void A_provider_without_the_model_looks_in_its_fallbacks()
    {
        var resolved = Catalog.Resolve("azure", "gpt-4o-mini");

        Assert.Equal(("openai", "gpt-4o-mini"), (resolved?.Provider, resolved?.Model));
    }

    [Theory]
    [InlineData("openai", "gpt-9-imaginary")]
    [InlineData("anthropic", "sonnet")]
    [InlineData("OpenAI", "gpt-4o")]
    public void An_unknown_model_is_still_rejected(string provider, string model)
    {
        var session = Given.Session();

        Assert.Equal(Usage.RejectionCodes.UnknownModel, session.Price(Given.Usage(provider: provider, model: model, prompt: 10)).Rejection?.Code);
    }

    [Fact]
    public void A_context_tier_prices_the_whole_request_when_the_prompt_is_strictly_above_its_threshold()
    {
        var entry = Given.Entry(input: 1m, output: 10m, cacheRead: 0.1m) with { ContextTiers = [new ContextTier(200_000, new Rates(2m, 15m, 0.2m))] };

        var at = Given.Price(new TokenCounts(200_000, 1_000_000), entry).Price.Cost;
        var above = Given.Price(new TokenCounts(200_001, 1_000_000, Cached: 100_001), entry).Price.Cost;

        Assert.Equal(0.2m + 10m, at);
        Assert.Equal((100_000 * 2m + 100_001 * 0.2m) / 1_000_000m + 15m, above);
    }

    [Fact]
    public void A_daily_window_gives_its_rates_inside_it_and_may_run_through_midnight()
    {
        var offPeak = new DailyWindow(TimeSpan.FromHours(16.5), TimeSpan.FromMinutes(30), new Rates(0.5m, 1m));
        var entry = Given.Entry(input: 1m, output: 2m) with { Windows = [offPeak] };
        var day = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

        decimal At(TimeSpan time) => Given.Price(new TokenCounts(1_000_000, 0), entry, at: day + time).Price.Cost;

        Assert.Equal([1m, 0.5m, 0.5m, 0.5m, 1m], [At(TimeSpan.FromHours(16.5) - TimeSpan.FromTicks(1)), At(TimeSpan.FromHours(16.5)), At(TimeSpan.FromHours(23.9)), At(TimeSpan.FromMinutes(29)), At(TimeSpan.FromMinutes(30))]);
    }

    [Fact]
    public void A_dated_change_of_the_community_snapshot_is_an_entry_of_its_own()
    {
        var entries = Catalog.EntriesOf("anthropic", "claude-opus-4-6");

        Assert.Equal([GenAiPrices.Always, new DateTimeOffset(2026, 3, 13, 0, 0, 0, TimeSpan.Zero)], entries.Select(e => e.EffectiveFrom));
        Assert.Same(entries[0], Catalog.Find("anthropic", "claude-opus-4-6", new DateTimeOffset(2026, 3, 12, 23, 59, 59, TimeSpan.Zero)));
        Assert.Same(entries[1], Catalog.Find("anthropic", "claude-opus-4-6", new DateTimeOffset(2026, 3, 13, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Reasoning_tokens_are_output_unless_the_entry_gives_them_a_rate()
    {
        var plain = Given.Entry(input: 1m, output: 8m);
        var reasoning = plain with { ReasoningPerMillion = 3m };
        var tokens = new TokenCounts(0, 1_000_000, Reasoning: 400_000);

        var (asOutput, plainCharges) = Given.Price(tokens, plain);
        var (apart, charges) = Given.Price(tokens, reasoning);

        Assert.Equal(8m, asOutput.Cost);
        Assert.DoesNotContain(plainCharges, c => c.Kind == BucketKind.Reasoning);
        Assert.Equal(0.4m * 3m + 0.6m * 8m, apart.Cost);
        Assert.Equal([(BucketKind.Reasoning, 400_000L), (BucketKind.Output, 600_000L)], charges.Select(c => (c.Kind, c.Tokens)));
    }

    [Theory]
    [InlineData("""{ "regex": "([" }""", "not a valid regular expression")]
    [InlineData("""{ "equals": "a", "starts_with": "b" }""", "exactly one of")]
    [InlineData("""{ "or": [] }""", "at least one rule")]
    public void The_loader_rejects_a_broken_match_rule_naming_the_entry(string match, string problem)
    {
        var e = Assert.Throws<CatalogException>(() => CatalogJson.Read($$"""
            { "prices": [ { "provider": "p", "model": "broken", "effectiveFrom": "2026-01-01T00:00:00Z", "inputPerMillion": 1, "outputPerMillion": 1, "match": {{match}} } ] }
            """));

        Assert.Contains("p/broken", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(
        """ "contextTiers": [ { "abovePromptTokens": 200000, "inputPerMillion": 2, "outputPerMillion": 2 }, { "abovePromptTokens": 100000, "inputPerMillion": 3, "outputPerMillion": 3 } ] """,
        "thresholds must ascend strictly")]
    [InlineData(""" "windows": [ { "start": "25:00:00", "end": "01:00:00", "inputPerMillion": 1, "outputPerMillion": 1 } ] """, "'25:00:00' is not a UTC time of day")]
    [InlineData(""" "windows": [ { "start": "01:00:00", "end": "01:00:00", "inputPerMillion": 1, "outputPerMillion": 1 } ] """, "an empty window")]
    [InlineData(""" "reasoningPerMillion": -1 """, "reasoningPerMillion must not be negative")]
    public void The_loader_rejects_a_broken_tier_window_or_rate_naming_the_entry(string terms, string problem)
    {
        var e = Assert.Throws<CatalogException>(() => CatalogJson.Read($$"""
            { "prices": [ { "provider": "p", "model": "broken", "effectiveFrom": "2026-01-01T00:00:00Z", "inputPerMillion": 1, "outputPerMillion": 1, {{terms}} } ] }
            """));

        Assert.Contains("p/broken", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_catalog_round_trips_through_its_json_form()
    {
        var again = CatalogJson.Read(CatalogJson.Write(Catalog));

        Assert.Equal(Catalog.Prices, again.Prices);
        Assert.Equal(Catalog.ProviderFallbacks.Keys.Order(), again.ProviderFallbacks.Keys.Order());
        Assert.Equal(("anthropic", "claude-sonnet-4-5"), again.Resolve("anthropic", "claude-sonnet-4.5") is { } r ? (r.Provider, r.Model) : default);
    }

    [Fact]
    public void An_import_adds_new_models_whole_changed_prices_from_now_and_never_touches_ours()
    {
        var now = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        var known = Community("x", "known", 1m) with { EffectiveFrom = GenAiPrices.Always };
        var current = new PriceCatalog("USD", [], [Given.Entry() with { Provider = "ours", Model = "m" }, known]);
        var incoming = new PriceCatalog("USD", [], [
            Community("ours", "m", 9m),
            known with { InputPerMillion = 2m },
            known with { InputPerMillion = 3m, EffectiveFrom = now.AddDays(10) },
            Community("x", "new", 5m),
            Community("x", "new", 6m) with { EffectiveFrom = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) },
        ]);

        var plan = ImportPlan.Of(current, incoming, now);
        var again = ImportPlan.Of(current.With(plan.Added), incoming, now.AddHours(1));

        Assert.Equal(
            ["x/known@2026-12-03T10:00:00Z", "x/known@2026-12-13T10:00:00Z", "x/new@1970-01-01T00:00:00Z", "x/new@2026-06-01T00:00:00Z"],
            plan.Added.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["ours/m"], plan.Kept);
        Assert.Empty(again.Added);
        Assert.Equal(2, again.Unchanged);
    }

    private static PriceEntry Community(string provider, string model, decimal input) =>
        Given.Entry(input: input) with { Provider = provider, Model = model, EffectiveFrom = GenAiPrices.Always, Source = "genai-prices test" };
}
