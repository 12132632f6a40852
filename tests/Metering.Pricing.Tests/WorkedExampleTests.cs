using Metering.Contracts;
using Metering.Pricing.Catalog;

namespace Metering.Pricing.Tests;

/// <summary>The worked examples of SPEC §4, through the library. <see cref="PriceCommandTests"/> runs them through the CLI.</summary>
public sealed class WorkedExampleTests
{
    [Fact]
    public void Five_hundred_million_input_and_a_hundred_million_output_on_gpt_4o_cost_2250()
    {
        Assert.Equal(2_250.00m, TotalCost(WorkedExamples.Gpt4o(), PriceCatalog.Default));
    }

    [Fact]
    public void The_same_volume_on_flat_priced_deepseek_v4_pro_costs_392()
    {
        Assert.Equal(392.00m, TotalCost(WorkedExamples.DeepSeek(cachedShare: 0), WorkedExamples.FlatDeepSeekCatalog));
    }

    [Fact]
    public void With_375M_of_the_input_as_cache_reads_flat_deepseek_v4_pro_costs_208_25()
    {
        Assert.Equal(208.25m, TotalCost(WorkedExamples.DeepSeek(cachedShare: 0.75m), WorkedExamples.FlatDeepSeekCatalog));
    }

    [Fact]
    public void A_new_customer_sending_150M_input_tokens_pays_35()
    {
        var tenant = new TenantSettings
        {
            TenantId = "newco",
            TierScheduleOverrides = new Dictionary<string, string> { ["deepseek"] = "deepseek-new-customer" },
        };

        Assert.Equal(35.00m, TotalCost(WorkedExamples.NewCustomer(), PriceCatalog.Default, tenant));
    }

    private static decimal TotalCost(IEnumerable<TokenUsage> stream, PriceCatalog catalog, params TenantSettings[] tenants)
    {
        var session = Given.Session(catalog, tenants);
        return stream.Sum(usage => session.Price(usage).Priced!.Price.Cost);
    }
}

/// <summary>Event streams for the worked examples; each event stays within the 100M-per-count limit and the cache cap.</summary>
internal static class WorkedExamples
{
    public static PriceCatalog FlatDeepSeekCatalog { get; } = new(
        "USD",
        [],
        [PriceCatalog.Default.Find("deepseek", "deepseek-v4-pro", Given.Noon)! with { TierSchedule = null }]);

    /// <summary>5 × 100M input, then 1 × 100M output on openai/gpt-4o.</summary>
    public static IEnumerable<TokenUsage> Gpt4o() =>
        Enumerable.Range(0, 5).Select(i => Given.Usage(prompt: 100_000_000, eventId: $"in-{i}"))
            .Append(Given.Usage(completion: 100_000_000, eventId: "out"));

    /// <summary>4,000 calls of 125K prompt and 25K completion tokens (500M in, 100M out); <paramref name="cachedShare"/> of each prompt is cache reads.</summary>
    public static IEnumerable<TokenUsage> DeepSeek(decimal cachedShare) =>
        Enumerable.Range(0, 4_000).Select(i => Given.Usage(
            "deepseek", "deepseek-v4-pro", prompt: 125_000, completion: 25_000, cached: (long)(125_000 * cachedShare), eventId: $"ds-{i}"));

    /// <summary>150M input tokens for tenant newco, in 100M and 50M.</summary>
    public static IEnumerable<TokenUsage> NewCustomer() =>
    [
        Given.Usage("deepseek", "deepseek-v4-pro", prompt: 100_000_000, tenant: "newco", eventId: "first"),
        Given.Usage("deepseek", "deepseek-v4-pro", prompt: 50_000_000, tenant: "newco", eventId: "second"),
    ];
}
