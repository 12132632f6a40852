using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Budget.Tests;

public sealed class BudgetSagaTests
{
    private static readonly BillingCycle November = BillingCycle.Containing(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), 1);
    private static readonly DateTimeOffset Now = November.Start.AddDays(10);
    private static readonly BudgetTerms Budget500 = new(500m);
    private static readonly SagaSettings Settings = new();

    /// <summary>A usage whose projected spend is <paramref name="projected"/>: spend so far plus gpt-4o input for the 20 days left.</summary>
    private static CycleUsage Usage(decimal spend, decimal projected, BillingCycle? cycle = null)
    {
        var c = cycle ?? November;
        var remainingHours = (decimal)(c.End - Now).TotalHours;
        var tokensPerDay = (projected - spend) / 2.5m * 1_000_000m / remainingHours * 24m;
        return new CycleUsage(
            c, spend, new Dictionary<string, long>(), c.Start, SpendProjection.WindowStart(c, Now, TimeSpan.FromHours(24)),
            tokensPerDay > 0 ? [new BucketTokens("openai", "gpt-4o", BucketKind.Input, (long)tokensPerDay)] : []);
    }

    private static ThrottleOutcome Decide(SagaState state, BudgetTerms? budget, decimal spend, decimal projected, BillingCycle? cycle = null) =>
        ThrottleDecision.Decide(state, budget, Usage(spend, projected, cycle), PriceCatalog.Default, TenantSettings.DefaultFor("acme"), Now, Settings);

    private static SagaState At(ThrottleLevel level, long sequence = 3) => new("acme", November.StartDate, level, sequence);

    [Theory]
    [InlineData(100, 300, ThrottleLevel.Normal)]
    [InlineData(100, 399, ThrottleLevel.Normal)]
    [InlineData(100, 400, ThrottleLevel.Warn)]
    [InlineData(100, 499, ThrottleLevel.Warn)]
    [InlineData(100, 500, ThrottleLevel.Slowdown)]
    [InlineData(499, 900, ThrottleLevel.Slowdown)]
    [InlineData(500, 900, ThrottleLevel.Block)]
    public void The_level_is_the_highest_whose_threshold_is_crossed(decimal spend, decimal projected, ThrottleLevel expected)
    {
        Assert.Equal(expected, ThrottleDecision.LevelFor(ThrottleLevel.Normal, Budget500, spend, projected, 0.05m));
    }

    [Theory]
    [InlineData(ThrottleLevel.Warn, 381, ThrottleLevel.Warn)]      // 381 ≥ 95 % of 400: holds
    [InlineData(ThrottleLevel.Warn, 379, ThrottleLevel.Normal)]    // below 380: relaxes
    [InlineData(ThrottleLevel.Slowdown, 476, ThrottleLevel.Slowdown)]
    [InlineData(ThrottleLevel.Slowdown, 474, ThrottleLevel.Warn)]
    [InlineData(ThrottleLevel.Slowdown, 300, ThrottleLevel.Normal)]
    public void A_level_relaxes_only_five_percent_below_its_threshold(ThrottleLevel current, decimal projected, ThrottleLevel expected)
    {
        Assert.Equal(expected, ThrottleDecision.LevelFor(current, Budget500, 100m, projected, 0.05m));
    }

    [Fact]
    public void Block_follows_actual_spend_with_the_same_hysteresis()
    {
        Assert.Equal(ThrottleLevel.Block, ThrottleDecision.LevelFor(ThrottleLevel.Block, Budget500, 476m, 900m, 0.05m));
        Assert.Equal(ThrottleLevel.Slowdown, ThrottleDecision.LevelFor(ThrottleLevel.Block, Budget500, 474m, 900m, 0.05m));
    }

    [Fact]
    public void Crossing_a_threshold_issues_one_command_with_the_next_sequence()
    {
        var decision = Decide(At(ThrottleLevel.Normal, sequence: 6), Budget500, 301.22m, 512.40m);

        var command = decision.Command!;
        Assert.Equal(ThrottleLevel.Slowdown, command.Level);
        Assert.Equal(7, command.Sequence);
        Assert.Equal(0.5m, command.RequestRateFactor);
        Assert.Equal(MessageIds.ThrottleCommand("acme", "2026-11-01", 7), command.CommandId);
        Assert.Equal("2026-11-01", command.Cycle);
        Assert.Equal(November.End, command.ExpiresAt);
        Assert.Equal(Now, command.IssuedAt);
        Assert.Equal(("301.22", "512.40", "500.00"), (command.SpendToDate, command.ProjectedSpend, command.Budget));
        Assert.Equal("projected spend 512.40 ≥ 100% of budget 500.00", command.Reason);
        Assert.Equal(new SagaState("acme", November.StartDate, ThrottleLevel.Slowdown, 7), decision.State);
    }

    [Fact]
    public void Without_a_level_change_there_is_no_command_and_the_sequence_stays()
    {
        var decision = Decide(At(ThrottleLevel.Warn), Budget500, 100m, 420m);

        Assert.Null(decision.Command);
        Assert.Equal(At(ThrottleLevel.Warn), decision.State);
    }

    [Fact]
    public void The_same_inputs_decided_twice_issue_one_command()
    {
        var first = Decide(At(ThrottleLevel.Normal), Budget500, 100m, 420m);
        var again = Decide(first.State, Budget500, 100m, 420m);

        Assert.NotNull(first.Command);
        Assert.Null(again.Command);
    }

    [Theory]
    [InlineData(ThrottleLevel.Warn, 1)]
    [InlineData(ThrottleLevel.Slowdown, 0.5)]
    [InlineData(ThrottleLevel.Block, 0)]
    [InlineData(ThrottleLevel.Normal, 1)]
    public void Each_level_has_its_request_rate_factor(ThrottleLevel level, decimal factor)
    {
        var (spend, projected) = level switch
        {
            ThrottleLevel.Warn => (100m, 420m),
            ThrottleLevel.Slowdown => (100m, 600m),
            ThrottleLevel.Block => (600m, 900m),
            _ => (10m, 20m),
        };
        var from = level == ThrottleLevel.Normal ? At(ThrottleLevel.Block) : At(ThrottleLevel.Normal);

        Assert.Equal(factor, Decide(from, Budget500, spend, projected).Command!.RequestRateFactor);
    }

    [Fact]
    public void The_slowdown_factor_is_configurable()
    {
        var decision = ThrottleDecision.Decide(At(ThrottleLevel.Normal), Budget500, Usage(100m, 600m), PriceCatalog.Default, TenantSettings.DefaultFor("acme"), Now, Settings with { SlowdownRateFactor = 0.25m });

        Assert.Equal(0.25m, decision.Command!.RequestRateFactor);
    }

    [Fact]
    public void Raising_the_budget_relaxes_the_throttle()
    {
        var decision = Decide(At(ThrottleLevel.Block), new BudgetTerms(2_000m), 600m, 900m);

        Assert.Equal(ThrottleLevel.Normal, decision.Command!.Level);
        Assert.Equal(4, decision.Command.Sequence);
        Assert.Equal("2000.00", decision.Command.Budget);
    }

    [Fact]
    public void Raising_the_budget_only_slightly_keeps_the_level_within_the_hysteresis()
    {
        // 600 of a new 620 budget is still within 5 % of the block threshold.
        var decision = Decide(At(ThrottleLevel.Block), new BudgetTerms(620m), 600m, 900m);

        Assert.Null(decision.Command);
        Assert.Equal(ThrottleLevel.Block, decision.State.Level);
    }

    [Fact]
    public void Removing_the_budget_lifts_every_throttle_at_once()
    {
        var decision = Decide(At(ThrottleLevel.Block), null, 600m, 900m);

        Assert.Equal(ThrottleLevel.Normal, decision.Command!.Level);
        Assert.Null(decision.Command.Budget);
        Assert.Equal("no budget", decision.Command.Reason);
    }

    [Fact]
    public void A_new_cycle_returns_to_normal_with_the_next_sequence()
    {
        var december = November.Next();
        var decision = ThrottleDecision.Decide(
            At(ThrottleLevel.Block, sequence: 9), Budget500, CycleUsage.Empty(december, december.Start), PriceCatalog.Default, TenantSettings.DefaultFor("acme"),
            december.Start.AddMinutes(1), Settings);

        Assert.Equal(ThrottleLevel.Normal, decision.Command!.Level);
        Assert.Equal(10, decision.Command.Sequence);
        Assert.Equal("2026-12-01", decision.Command.Cycle);
        Assert.Equal(december.End, decision.Command.ExpiresAt);
        Assert.Equal("new cycle 2026-12-01", decision.Command.Reason);
    }

    [Fact]
    public void A_new_cycle_starts_without_hysteresis()
    {
        var december = November.Next();
        var usage = CycleUsage.Empty(december, december.Start) with { SpendToDate = 480m };

        // 480 is within 5 % of the 500 block threshold, but the new cycle's level is decided afresh: slowdown by projection.
        var decision = ThrottleDecision.Decide(At(ThrottleLevel.Block), Budget500, usage, PriceCatalog.Default, TenantSettings.DefaultFor("acme"), december.Start.AddMinutes(1), Settings);

        Assert.Equal(ThrottleLevel.Warn, decision.State.Level);
        Assert.Equal("2026-12-01", decision.Command!.Cycle);
    }

    [Fact]
    public void A_first_evaluation_without_a_budget_issues_nothing()
    {
        var decision = Decide(SagaState.Initial("acme"), null, 100m, 900m);

        Assert.Null(decision.Command);
        Assert.Equal(November.StartDate, decision.State.Cycle);
        Assert.Equal(0, decision.State.Sequence);
    }

    [Fact]
    public void Sequences_increase_by_one_per_change_through_a_cycle()
    {
        var state = SagaState.Initial("acme");
        var levels = new List<ThrottleLevel>();
        foreach (var (spend, projected) in new[] { (10m, 100m), (100m, 420m), (200m, 600m), (200m, 600m), (510m, 900m), (100m, 200m) })
        {
            var decision = Decide(state, Budget500, spend, projected);
            if (decision.Command is { } command)
            {
                Assert.Equal(state.Sequence + 1, command.Sequence);
                levels.Add(command.Level);
            }

            state = decision.State;
        }

        Assert.Equal([ThrottleLevel.Warn, ThrottleLevel.Slowdown, ThrottleLevel.Block, ThrottleLevel.Normal], levels);
        Assert.Equal(4, state.Sequence);
    }
}
