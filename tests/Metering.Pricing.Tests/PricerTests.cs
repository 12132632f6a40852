using Metering.Pricing.Catalog;

namespace Metering.Pricing.Tests;

public sealed class PricerTests
{
    [Fact]
    public void Plain_input_and_output_are_billed_at_their_rates()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 3_000_000, Completion: 1_000_000), Given.Entry());

        Assert.Equal(
            [
                new BucketCharge(BucketKind.Input, 0, 3_000_000, 0m, 1m, 3m),
                new BucketCharge(BucketKind.Output, 0, 1_000_000, 0m, 2m, 2m),
            ],
            charges);
        Assert.Equal(5m, price.Cost);
        Assert.Equal(4_000_000, price.BilledTokens);
    }

    [Fact]
    public void Cached_tokens_are_billed_at_the_cache_read_rate_and_taken_out_of_input()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 1_000_000, Completion: 0, Cached: 600_000), Given.Entry());

        Assert.Equal(BucketKind.CacheRead, charges[0].Kind);
        Assert.Equal(600_000, charges[0].Tokens);
        Assert.Equal(0.06m, charges[0].Amount);
        Assert.Equal(BucketKind.Input, charges[1].Kind);
        Assert.Equal(400_000, charges[1].Tokens);
        Assert.Equal(0.46m, price.Cost);
    }

    [Fact]
    public void Cached_tokens_over_the_cap_are_billed_as_input()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 300_000, Completion: 0, Cached: 200_000), Given.Entry(cap: 128_000));

        Assert.Equal(
            [
                new BucketCharge(BucketKind.CacheRead, 0, 128_000, 0m, 0.1m, 0.0128m),
                new BucketCharge(BucketKind.CacheReadOverCap, 0, 72_000, 0m, 1m, 0.072m),
                new BucketCharge(BucketKind.Input, 0, 100_000, 0m, 1m, 0.1m),
            ],
            charges);
        Assert.Equal(0.1848m, price.Cost);
    }

    [Fact]
    public void Cached_tokens_up_to_the_cap_all_get_the_cache_rate()
    {
        var (_, charges) = Given.Price(new TokenCounts(Prompt: 128_000, Completion: 0, Cached: 128_000), Given.Entry(cap: 128_000));

        var only = Assert.Single(charges);
        Assert.Equal((BucketKind.CacheRead, 128_000L), (only.Kind, only.Tokens));
    }

    [Fact]
    public void A_provider_without_cache_pricing_bills_every_cached_token_as_input()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 1_000_000, Completion: 0, Cached: 900_000), Given.Entry(cacheRead: null, cap: 128_000));

        Assert.DoesNotContain(charges, c => c.Kind == BucketKind.CacheRead);
        Assert.Equal(900_000, charges.Single(c => c.Kind == BucketKind.CacheReadOverCap).Tokens);
        Assert.Equal(1m, price.Cost);
    }

    [Fact]
    public void Cache_writes_are_billed_at_the_cache_write_rate()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 1_000_000, Completion: 0, CacheWrite: 1_000_000), Given.Entry(cacheWrite: 1.25m));

        var write = Assert.Single(charges);
        Assert.Equal(new BucketCharge(BucketKind.CacheWrite, 0, 1_000_000, 0m, 1.25m, 1.25m), write);
        Assert.Equal(1.25m, price.Cost);
    }

    [Fact]
    public void Cache_writes_without_a_cache_write_rate_are_billed_at_the_input_rate()
    {
        var (_, charges) = Given.Price(new TokenCounts(Prompt: 2_000_000, Completion: 0, CacheWrite: 2_000_000), Given.Entry(input: 3m));

        Assert.Equal(new BucketCharge(BucketKind.CacheWrite, 0, 2_000_000, 0m, 3m, 6m), Assert.Single(charges));
    }

    [Fact]
    public void Buckets_are_filled_in_the_order_cache_read_over_cap_write_input_output()
    {
        var (_, charges) = Given.Price(
            new TokenCounts(Prompt: 1_000, Completion: 10, Cached: 500, CacheWrite: 100),
            Given.Entry(cap: 300, cacheWrite: 1.25m));

        Assert.Equal(
            [BucketKind.CacheRead, BucketKind.CacheReadOverCap, BucketKind.CacheWrite, BucketKind.Input, BucketKind.Output],
            charges.Select(c => c.Kind));
        Assert.Equal([300L, 200, 100, 400, 10], charges.Select(c => c.Tokens));
    }

    [Fact]
    public void Reserved_output_bills_max_tokens_when_completion_is_below_it_and_records_the_waste()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 0, Completion: 800, MaxTokens: 1_024), Given.Entry(output: 1_000m, reservedOutput: true));

        Assert.Equal(1_024, charges.Single(c => c.Kind == BucketKind.Output).Tokens);
        Assert.Equal(1_024, price.BilledOutputTokens);
        Assert.Equal(224, price.ReservedOutputWaste);
        Assert.Equal(0.224m, price.ReservedOutputWasteCost);
        Assert.Equal(1.024m, price.Cost);
    }

    [Fact]
    public void Reserved_output_bills_the_completion_when_it_is_above_max_tokens()
    {
        var (price, _) = Given.Price(new TokenCounts(Prompt: 0, Completion: 2_000, MaxTokens: 1_024), Given.Entry(reservedOutput: true));

        Assert.Equal(2_000, price.BilledOutputTokens);
        Assert.Equal(0, price.ReservedOutputWaste);
        Assert.Equal(0m, price.ReservedOutputWasteCost);
    }

    [Fact]
    public void Reserved_output_without_max_tokens_bills_the_completion()
    {
        var (price, _) = Given.Price(new TokenCounts(Prompt: 0, Completion: 800, MaxTokens: null), Given.Entry(reservedOutput: true));

        Assert.Equal(800, price.BilledOutputTokens);
        Assert.Equal(0, price.ReservedOutputWaste);
    }

    [Fact]
    public void Max_tokens_is_ignored_by_providers_that_do_not_bill_reserved_output()
    {
        var (price, _) = Given.Price(new TokenCounts(Prompt: 0, Completion: 800, MaxTokens: 4_096), Given.Entry(reservedOutput: false));

        Assert.Equal(800, price.BilledOutputTokens);
        Assert.Equal(0, price.ReservedOutputWaste);
    }

    [Fact]
    public void Tokens_past_a_tier_boundary_get_the_tier_discount()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 1_000_000, Completion: 0), Given.Entry(input: 0.56m), Given.Volume, position: 150_000_000);

        Assert.Equal(new BucketCharge(BucketKind.Input, 1, 1_000_000, 0.75m, 0.14m, 0.14m), Assert.Single(charges));
        Assert.Equal(0.14m, price.Cost);
    }

    [Fact]
    public void A_tier_boundary_inside_a_bucket_splits_that_bucket_exactly()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 10_000_000, Completion: 0), Given.Entry(input: 0.56m), Given.Volume, position: 96_000_000);

        Assert.Equal(
            [
                new BucketCharge(BucketKind.Input, 0, 4_000_000, 0m, 0.56m, 2.24m),
                new BucketCharge(BucketKind.Input, 1, 6_000_000, 0.75m, 0.14m, 0.84m),
            ],
            charges);
        Assert.Equal(3.08m, price.Cost);
    }

    [Fact]
    public void An_event_spanning_both_tiers_fills_buckets_in_order_across_the_boundary()
    {
        // 99.9M already billed: the cache reads fit below the boundary, the input straddles it, the output is all above.
        var (_, charges) = Given.Price(
            new TokenCounts(Prompt: 300_000, Completion: 50_000, Cached: 60_000),
            Given.Entry(),
            Given.Volume,
            position: 99_900_000);

        Assert.Equal(
            [
                (BucketKind.CacheRead, 0, 60_000L),
                (BucketKind.Input, 0, 40_000L),
                (BucketKind.Input, 1, 200_000L),
                (BucketKind.Output, 1, 50_000L),
            ],
            charges.Select(c => (c.Kind, c.Tier, c.Tokens)));
    }

    [Fact]
    public void An_event_ending_exactly_on_the_boundary_stays_in_the_lower_tier_and_the_next_starts_above_it()
    {
        var (first, firstCharges) = Given.Price(new TokenCounts(Prompt: 1_000, Completion: 0), Given.Entry(), Given.Volume, position: 99_999_000);
        var (_, nextCharges) = Given.Price(new TokenCounts(Prompt: 1, Completion: 0), Given.Entry(), Given.Volume, position: first.TierPositionAfter(99_999_000));

        Assert.Equal(0, Assert.Single(firstCharges).Tier);
        Assert.Equal(1, Assert.Single(nextCharges).Tier);
    }

    [Fact]
    public void Reserved_output_waste_is_costed_at_the_tier_its_positions_fall_in()
    {
        // Output positions [100M - 500, 100M + 524): 500 completion tokens below the boundary, the 524 wasted ones above it.
        var (price, _) = Given.Price(
            new TokenCounts(Prompt: 0, Completion: 500, MaxTokens: 1_024),
            Given.Entry(output: 1_000_000m, reservedOutput: true),
            Given.Volume,
            position: 99_999_500);

        Assert.Equal(524, price.ReservedOutputWaste);
        Assert.Equal(524 * 0.25m, price.ReservedOutputWasteCost);
    }

    [Fact]
    public void Amounts_are_exact_and_unrounded()
    {
        var (price, _) = Given.Price(new TokenCounts(Prompt: 1, Completion: 1), Given.Entry(input: 0.075m, output: 0.6m), Given.Volume, position: 200_000_000);

        Assert.Equal(0.00000001875m + 0.00000015m, price.Cost);
    }

    [Fact]
    public void Cached_plus_cache_write_tokens_above_prompt_tokens_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Given.Price(new TokenCounts(Prompt: 10, Completion: 0, Cached: 8, CacheWrite: 8), Given.Entry()));
    }

    [Fact]
    public void An_event_with_no_tokens_costs_nothing_and_has_no_charges()
    {
        var (price, charges) = Given.Price(new TokenCounts(Prompt: 0, Completion: 0), Given.Entry());

        Assert.Empty(charges);
        Assert.Equal(0m, price.Cost);
    }

    [Fact]
    public void Catalog_resolution_uses_the_entry_in_effect_when_the_event_occurred()
    {
        var catalog = PriceCatalog.Default.With(PriceCatalog.Default.Find("openai", "gpt-4o", Given.Noon)! with
        {
            EffectiveFrom = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            InputPerMillion = 2m,
        });

        Assert.True(Pricer.TryResolve(catalog, TenantSettings.DefaultFor("acme"), "openai", "gpt-4o", new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero), out var before));
        Assert.True(Pricer.TryResolve(catalog, TenantSettings.DefaultFor("acme"), "openai", "gpt-4o", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), out var after));
        Assert.Equal(2.5m, before.Entry.InputPerMillion);
        Assert.Equal(2m, after.Entry.InputPerMillion);
    }

    [Fact]
    public void Catalog_resolution_fails_before_a_pairs_first_entry_and_for_unknown_pairs()
    {
        var tenant = TenantSettings.DefaultFor("acme");

        Assert.False(Pricer.TryResolve(PriceCatalog.Default, tenant, "openai", "gpt-4o", new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero), out _));
        Assert.False(Pricer.TryResolve(PriceCatalog.Default, tenant, "openai", "gpt-9-imaginary", Given.Noon, out _));
        Assert.False(Pricer.TryResolve(PriceCatalog.Default, tenant, "OpenAI", "gpt-4o", Given.Noon, out _));
    }

    [Fact]
    public void A_tenant_override_replaces_the_providers_tier_schedule()
    {
        var newCustomer = new TenantSettings
        {
            TenantId = "fresh",
            TierScheduleOverrides = new Dictionary<string, string> { ["deepseek"] = "deepseek-new-customer" },
        };

        Pricer.TryResolve(PriceCatalog.Default, newCustomer, "deepseek", "deepseek-v4-pro", Given.Noon, out var overridden);
        Pricer.TryResolve(PriceCatalog.Default, TenantSettings.DefaultFor("acme"), "deepseek", "deepseek-v4-pro", Given.Noon, out var standard);
        Pricer.TryResolve(PriceCatalog.Default, newCustomer, "openai", "gpt-4o", Given.Noon, out var otherProvider);

        Assert.Equal("deepseek-new-customer", overridden.Schedule.Name);
        Assert.Equal("deepseek-volume", standard.Schedule.Name);
        Assert.Same(TierSchedule.Flat, otherProvider.Schedule);
    }
}
