using Metering.Pricing.Catalog;

namespace Metering.Pricing.Tests;

public sealed class CatalogTests
{
    private const string Entry = """
        { "provider": "p", "model": "m", "effectiveFrom": "2026-01-01T00:00:00Z", "inputPerMillion": "1", "outputPerMillion": "2" }
        """;

    [Fact]
    public void The_built_in_catalog_holds_the_seven_prices_of_the_spec_unchanged()
    {
        var catalog = PriceCatalog.Default;

        Assert.Equal("USD", catalog.Currency);
        Assert.Equal(7, PriceCatalog.Spec.Prices.Count);
        Assert.All(PriceCatalog.Spec.Prices, spec => Assert.True(catalog.EntriesOf(spec.Provider, spec.Model).Single().SameTermsAs(spec with { Match = catalog.EntriesOf(spec.Provider, spec.Model).Single().Match })));
        var deepseek = catalog.Find("deepseek", "deepseek-v4-pro", Given.Noon)!;
        Assert.Equal((0.56m, 1.12m, 0.07m, 128_000L, true, "deepseek-volume"), (deepseek.InputPerMillion, deepseek.OutputPerMillion, deepseek.CacheReadPerMillion, deepseek.CacheReadCapTokens, deepseek.BillsReservedOutput, deepseek.TierSchedule));
        var sonnet = catalog.Find("anthropic", "claude-3-5-sonnet", Given.Noon)!;
        Assert.Equal((3.00m, 15.00m, 0.30m, 3.75m), (sonnet.InputPerMillion, sonnet.OutputPerMillion, sonnet.CacheReadPerMillion, sonnet.CacheWritePerMillion));
        Assert.Null(catalog.Find("deepinfra", "deepseek-v4-pro", Given.Noon)!.CacheReadPerMillion);
        Assert.Equal([0m, 0.75m], catalog.TierSchedules["deepseek-volume"].Steps.Select(s => s.Discount));
        Assert.Equal([0.5m, 0.75m], catalog.TierSchedules["deepseek-new-customer"].Steps.Select(s => s.Discount));
    }

    [Fact]
    public void Decimals_may_be_json_strings_or_numbers_and_absent_optional_fields_mean_null()
    {
        var catalog = CatalogJson.Read("""
            { "prices": [ { "provider": "p", "model": "m", "effectiveFrom": "2026-01-01T00:00:00Z", "inputPerMillion": 0.1, "outputPerMillion": "0.2" } ] }
            """);

        var entry = Assert.Single(catalog.Prices);
        Assert.Equal((0.1m, 0.2m), (entry.InputPerMillion, entry.OutputPerMillion));
        Assert.Null(entry.CacheReadPerMillion);
        Assert.Null(entry.CacheReadCapTokens);
        Assert.Null(entry.TierSchedule);
        Assert.False(entry.BillsReservedOutput);
        Assert.Equal("USD", catalog.Currency);
    }

    [Fact]
    public void A_catalog_survives_a_round_trip_through_json()
    {
        var again = CatalogJson.Read(CatalogJson.Write(PriceCatalog.Default));

        Assert.Equal(PriceCatalog.Default.Prices, again.Prices);
        Assert.Equal(PriceCatalog.Default.TierSchedules.Keys.Order(), again.TierSchedules.Keys.Order());
    }

    [Theory]
    [InlineData("""{ "tierSchedules": {}, "prices": [ ENTRY_WITH "tierSchedule": "nope" } ] }""", "tier schedule 'nope' is not defined")]
    [InlineData("""{ "tierSchedules": { "s": [ { "fromTokens": 5, "discount": "0" } ] }, "prices": [] }""", "must start at fromTokens 0")]
    [InlineData("""{ "tierSchedules": { "s": [ { "fromTokens": 0, "discount": "0" }, { "fromTokens": 0, "discount": "0.1" } ] }, "prices": [] }""", "must be greater than the previous step")]
    [InlineData("""{ "tierSchedules": { "s": [ { "fromTokens": 0, "discount": "0" }, { "fromTokens": 200, "discount": "0.1" }, { "fromTokens": 100, "discount": "0.2" } ] }, "prices": [] }""", "must be greater than the previous step")]
    [InlineData("""{ "tierSchedules": { "s": [ { "fromTokens": 0, "discount": "1.5" } ] }, "prices": [] }""", "discount 1.5 must be between 0 and 1")]
    [InlineData("""{ "tierSchedules": { "s": [ { "fromTokens": 0, "discount": "-0.1" } ] }, "prices": [] }""", "must be between 0 and 1")]
    [InlineData("""{ "tierSchedules": { "s": [] }, "prices": [] }""", "has no steps")]
    [InlineData("""{ "prices": [ ENTRY_WITH "inputPerMillion": "-1" } ] }""", "inputPerMillion must not be negative")]
    [InlineData("""{ "prices": [ ENTRY_WITH "cacheReadPerMillion": -0.01 } ] }""", "cacheReadPerMillion must not be negative")]
    [InlineData("""{ "prices": [ ENTRY_WITH "cacheWritePerMillion": "-3" } ] }""", "cacheWritePerMillion must not be negative")]
    [InlineData("""{ "prices": [ ENTRY_WITH "cacheReadCapTokens": -1 } ] }""", "cacheReadCapTokens must not be negative")]
    [InlineData("""{ "prices": [ ENTRY_WITH "outputPerMillion": "abc" } ] }""", "outputPerMillion")]
    [InlineData("""{ "prices": [ { "provider": "p", "model": "m" } ] }""", "effectiveFrom, inputPerMillion, outputPerMillion are required")]
    [InlineData("""{ "prices": [ """ + Entry + ", " + Entry + """ ] }""", "p/m has 2 entries effective from")]
    [InlineData("""{ "prices": [ """, "not a readable catalog")]
    public void A_broken_catalog_is_refused_with_a_clear_problem(string json, string problem)
    {
        json = json.Replace("ENTRY_WITH", Entry.TrimEnd()[..^1] + ",", StringComparison.Ordinal);

        var error = Assert.Throws<CatalogException>(() => CatalogJson.Read(json));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_entries_of_one_pair_with_different_dates_are_a_price_change()
    {
        var later = Entry.Replace("2026-01-01", "2026-06-01", StringComparison.Ordinal).Replace("\"1\"", "\"0.5\"", StringComparison.Ordinal);

        var catalog = CatalogJson.Read($$"""{ "prices": [ {{Entry}}, {{later}} ] }""");

        Assert.Equal(1m, catalog.Find("p", "m", new DateTimeOffset(2026, 5, 31, 23, 59, 59, TimeSpan.Zero))!.InputPerMillion);
        Assert.Equal(0.5m, catalog.Find("p", "m", new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero))!.InputPerMillion);
    }

    [Fact]
    public void Adding_an_entry_with_an_existing_effective_date_is_refused()
    {
        var existing = PriceCatalog.Default.Prices[0];

        Assert.Throws<CatalogException>(() => PriceCatalog.Default.With(existing with { InputPerMillion = 9m }));
    }

    [Fact]
    public void A_tenant_override_naming_an_unknown_schedule_is_a_problem()
    {
        var tenant = new TenantSettings { TenantId = "t", CycleAnchorDay = 30, TierScheduleOverrides = new Dictionary<string, string> { ["deepseek"] = "gold" } };

        var problems = PriceCatalog.Default.ProblemsWith(tenant);

        Assert.Contains(problems, p => p.Contains("'gold'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cycleAnchorDay", StringComparison.Ordinal));
    }
}
