using Metering.Budget.Decisions;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Budget.Tests;

public sealed class ProjectionTests
{
    private static readonly BillingCycle November = BillingCycle.Containing(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), 1);
    private static readonly DateTimeOffset Day10 = November.Start.AddDays(10);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static CycleUsage Usage(DateTimeOffset now, decimal spend, params BucketTokens[] window) => new(
        November, spend, new Dictionary<string, long>(), November.Start, SpendProjection.WindowStart(November, now, TimeSpan.FromHours(24)), window);

    private static decimal Project(CycleUsage usage, DateTimeOffset now, TenantSettings? tenant = null) =>
        SpendProjection.Project(usage, PriceCatalog.Default, tenant ?? TenantSettings.DefaultFor("acme"), now, Hour);

    [Fact]
    public void Linear_traffic_is_extended_at_its_token_rate_to_the_end_of_the_cycle()
    {
        // 24M gpt-4o input tokens in the last 24 h → 1M/h; 20 days (480 h) remain → 480M tokens × 2.5 per 1M = 1,200.
        var usage = Usage(Day10, 100m, new BucketTokens("openai", "gpt-4o", BucketKind.Input, 24_000_000));

        Assert.Equal(100m + 1_200m, Project(usage, Day10));
    }

    [Fact]
    public void Each_bucket_is_projected_at_its_own_rate()
    {
        // 2.4M output (10 per 1M) and 2.4M cache reads (1.25 per 1M) a day, for 20 more days.
        var usage = Usage(Day10, 0m,
            new BucketTokens("openai", "gpt-4o", BucketKind.Output, 2_400_000),
            new BucketTokens("openai", "gpt-4o", BucketKind.CacheRead, 2_400_000));

        Assert.Equal((48_000_000 * 10m + 48_000_000 * 1.25m) / 1_000_000m, Project(usage, Day10));
    }

    [Fact]
    public void Bursty_traffic_is_projected_at_the_windows_average_rate()
    {
        // The same 24M tokens, whether they came in one burst or evenly: the window's rate is what counts.
        var burst = Usage(Day10, 0m, new BucketTokens("openai", "gpt-4o", BucketKind.Input, 24_000_000));
        var even = Usage(Day10, 0m, new BucketTokens("openai", "gpt-4o", BucketKind.Input, 12_000_000), new BucketTokens("openai", "gpt-4o", BucketKind.Input, 12_000_000));

        Assert.Equal(Project(even, Day10), Project(burst, Day10));
    }

    [Fact]
    public void Traffic_about_to_cross_a_tier_boundary_is_projected_at_the_discounted_rate_past_it()
    {
        // deepseek at 99M; 10M more projected (0.5M/day for 20 days): 1M at 0.56 and 9M at 0.56 × 0.25.
        var usage = Usage(Day10, 50m, new BucketTokens("deepseek", "deepseek-v4-pro", BucketKind.Input, 500_000)) with
        {
            TierCounters = new Dictionary<string, long> { ["deepseek"] = 99_000_000 },
        };

        Assert.Equal(50m + 0.56m + 9 * 0.14m, Project(usage, Day10));
    }

    [Fact]
    public void A_tenant_schedule_override_applies_to_the_projection()
    {
        var usage = Usage(Day10, 0m, new BucketTokens("deepseek", "deepseek-v4-pro", BucketKind.Input, 500_000));
        var newCustomer = new TenantSettings { TenantId = "n", TierScheduleOverrides = new Dictionary<string, string> { ["deepseek"] = "deepseek-new-customer" } };

        Assert.Equal(10 * 0.28m, Project(usage, Day10, newCustomer));
    }

    [Fact]
    public void With_less_than_an_hour_of_usage_projected_spend_is_actual_spend()
    {
        var usage = Usage(Day10, 7m, new BucketTokens("openai", "gpt-4o", BucketKind.Input, 24_000_000)) with { FirstEventAt = Day10 - TimeSpan.FromMinutes(59) };

        Assert.Equal(7m, Project(usage, Day10));
        Assert.Equal(7m, Project(usage with { FirstEventAt = null }, Day10));
        Assert.NotEqual(7m, Project(usage with { FirstEventAt = Day10 - Hour }, Day10));
    }

    [Fact]
    public void Traffic_that_stopped_projects_no_more_spend()
    {
        Assert.Equal(42m, Project(Usage(Day10, 42m), Day10));
    }

    [Fact]
    public void Early_in_a_cycle_the_window_is_since_the_cycle_began()
    {
        var now = November.Start.AddHours(6);
        var usage = Usage(now, 0m, new BucketTokens("openai", "gpt-4o", BucketKind.Input, 6_000_000));

        Assert.Equal(November.Start, usage.WindowStart);
        // 1M/h over the 6 h since the cycle began, for the 714 h left of November.
        Assert.Equal(714 * 2.5m, Project(usage, now));
    }

    [Fact]
    public void At_the_end_of_the_cycle_nothing_more_is_projected()
    {
        var usage = Usage(November.End, 10m, new BucketTokens("openai", "gpt-4o", BucketKind.Input, 24_000_000));

        Assert.Equal(10m, Project(usage, November.End));
    }

    [Fact]
    public void The_average_multiplier_weighs_each_tier_by_the_tokens_in_it()
    {
        var volume = PriceCatalog.Default.TierSchedules["deepseek-volume"];

        Assert.Equal(1m, SpendProjection.AverageMultiplier(volume, 0, 50_000_000));
        Assert.Equal(0.25m, SpendProjection.AverageMultiplier(volume, 100_000_000, 7));
        Assert.Equal((1m + 0.25m) / 2, SpendProjection.AverageMultiplier(volume, 90_000_000, 20_000_000));
    }
}
