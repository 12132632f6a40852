using System.Text.Json;
using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Budget.Tests;

public sealed class ScopedBudgetTests
{
    private static readonly BillingCycle November = BillingCycle.Containing(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), 1);
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly BudgetScope AgentLoop = new(ScopeKind.Service, "agent-loop");
    private static readonly BudgetScope SupportBot = new(ScopeKind.Service, "support-bot");
    private static readonly SagaSettings Settings = new();

    /// <summary>A scope's usage over its span at <paramref name="now"/>: <paramref name="spend"/> so far, gpt-4o input at <paramref name="tokensPerHour"/> since the span began.</summary>
    private static CycleUsage Usage(BudgetPeriod period, DateTimeOffset now, decimal spend, long tokensPerHour = 0)
    {
        var span = BudgetSpan.Of(period, November, now);
        var windowStart = SpendProjection.WindowStart(span.Start, now, Settings.Window);
        var hours = (long)(now - windowStart).TotalHours;
        return new CycleUsage(
            November, spend, new Dictionary<string, long>(), span.Start, windowStart,
            tokensPerHour > 0 ? [new BucketTokens("openai", "gpt-4o", BucketKind.Input, tokensPerHour * hours)] : [])
        {
            Span = span,
        };
    }

    private static SagaState State(BudgetScope scope, BudgetPeriod period, DateOnly? span, ThrottleLevel level, long sequence) =>
        new("acme", span, level, sequence) { Scope = scope, Period = period };

    private static ScopedBudget Daily(BudgetScope scope, decimal amount) => new(scope, BudgetPeriod.Day, new BudgetTerms(amount));

    private static IReadOnlyList<ThrottleOutcome> Decide(DateTimeOffset now, params ScopeEvaluation[] scopes) =>
        ScopedThrottles.Decide(scopes, PriceCatalog.Default, TenantSettings.DefaultFor("acme"), now, Settings);

    [Fact]
    public void A_daily_budget_is_spend_since_midnight_UTC_projected_to_the_next_midnight()
    {
        // 12 h of gpt-4o input at 1M tokens an hour ($2.50 an hour) → 12 more hours: $30 more
        var usage = Usage(BudgetPeriod.Day, Noon, spend: 30m, tokensPerHour: 1_000_000);

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), usage.Span.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), usage.Span.End);
        Assert.Equal(60m, SpendProjection.Project(usage, PriceCatalog.Default, TenantSettings.DefaultFor("acme"), Noon, Settings.MinimumHistory));
    }

    [Fact]
    public void A_daily_budget_blocked_today_expires_at_midnight_and_resets_at_00_00_UTC()
    {
        var lateEvening = new DateTimeOffset(2026, 11, 20, 23, 50, 0, TimeSpan.Zero);
        var blocked = Decide(lateEvening, new ScopeEvaluation(
            State(AgentLoop, BudgetPeriod.Day, null, ThrottleLevel.Normal, 4), Daily(AgentLoop, 50m), Usage(BudgetPeriod.Day, lateEvening, spend: 51m)))[0];

        Assert.Equal(ThrottleLevel.Block, blocked.Command!.Level);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), blocked.Command.ExpiresAt);

        var justAfterMidnight = new DateTimeOffset(2026, 11, 21, 0, 0, 30, TimeSpan.Zero);
        var reset = Decide(justAfterMidnight, new ScopeEvaluation(blocked.State, Daily(AgentLoop, 50m), Usage(BudgetPeriod.Day, justAfterMidnight, spend: 0.10m)))[0];

        var command = reset.Command!;
        Assert.Equal(ThrottleLevel.Normal, command.Level);
        Assert.Equal(6, command.Sequence);
        Assert.Equal("service agent-loop per day: new day 2026-11-21", command.Reason);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), command.ExpiresAt);
        Assert.Equal(new DateOnly(2026, 11, 21), reset.State.Cycle);
    }

    [Fact]
    public void A_daily_budget_over_again_on_a_new_day_blocks_again_with_the_next_sequence()
    {
        var yesterday = State(AgentLoop, BudgetPeriod.Day, new DateOnly(2026, 11, 19), ThrottleLevel.Block, 2);
        var outcome = Decide(Noon, new ScopeEvaluation(yesterday, Daily(AgentLoop, 50m), Usage(BudgetPeriod.Day, Noon, spend: 50m)))[0];

        Assert.Equal(ThrottleLevel.Block, outcome.Command!.Level);
        Assert.Equal(3, outcome.Command.Sequence);
    }

    [Fact]
    public void A_service_budget_throttles_that_service_only()
    {
        var outcomes = Decide(
            Noon,
            new ScopeEvaluation(State(AgentLoop, BudgetPeriod.Day, null, ThrottleLevel.Normal, 0), Daily(AgentLoop, 50m), Usage(BudgetPeriod.Day, Noon, spend: 55m)),
            new ScopeEvaluation(State(SupportBot, BudgetPeriod.Day, null, ThrottleLevel.Normal, 0), Daily(SupportBot, 50m), Usage(BudgetPeriod.Day, Noon, spend: 5m)));

        var command = outcomes[0].Command!;
        Assert.Equal((ThrottleLevel.Block, 0m), (command.Level, command.RequestRateFactor));
        Assert.Equal(AgentLoop, command.Scope);
        Assert.Equal(BudgetPeriod.Day, command.Period);
        Assert.Equal("service agent-loop per day: spend to date 55.00 ≥ 100% of budget 50.00", command.Reason);
        Assert.Null(outcomes[1].Command);
        Assert.Equal(ThrottleLevel.Normal, outcomes[1].State.Level);
    }

    [Fact]
    public void A_scoped_command_carries_scope_and_period_and_an_id_of_its_own_while_a_tenant_command_keeps_its_shape()
    {
        var scoped = Decide(Noon, new ScopeEvaluation(
            State(AgentLoop, BudgetPeriod.Day, null, ThrottleLevel.Normal, 6), Daily(AgentLoop, 50m), Usage(BudgetPeriod.Day, Noon, spend: 55m)))[0].Command!;
        var tenant = ThrottleDecision.Decide(
            SagaState.Initial("acme") with { Sequence = 6 }, new BudgetTerms(50m), Usage(BudgetPeriod.Cycle, Noon, spend: 55m),
            PriceCatalog.Default, TenantSettings.DefaultFor("acme"), Noon, Settings).Command!;

        Assert.Equal(MessageIds.ThrottleCommand("acme", AgentLoop, "2026-11-20", 7), scoped.CommandId);
        Assert.Equal(MessageIds.ThrottleCommand("acme", "2026-11-01", 7), tenant.CommandId);
        Assert.NotEqual(scoped.CommandId, tenant.CommandId);

        var scopedJson = JsonDocument.Parse(JsonSerializer.Serialize(scoped, MeteringJson.Options)).RootElement;
        Assert.Equal("service", scopedJson.GetProperty("scope").GetProperty("kind").GetString());
        Assert.Equal("agent-loop", scopedJson.GetProperty("scope").GetProperty("value").GetString());
        Assert.Equal("day", scopedJson.GetProperty("period").GetString());
        var tenantJson = JsonDocument.Parse(JsonSerializer.Serialize(tenant, MeteringJson.Options)).RootElement;
        Assert.False(tenantJson.TryGetProperty("scope", out _));
        Assert.False(tenantJson.TryGetProperty("period", out _));
    }

    [Fact]
    public void A_scopes_cycle_and_day_budgets_share_one_strictly_increasing_sequence()
    {
        var cycle = new ScopedBudget(AgentLoop, BudgetPeriod.Cycle, new BudgetTerms(500m));
        var due = ScopedThrottles.Due(
            "acme",
            0,
            [cycle, Daily(AgentLoop, 50m)],
            [State(AgentLoop, BudgetPeriod.Cycle, November.StartDate, ThrottleLevel.Normal, 9), State(AgentLoop, BudgetPeriod.Day, new DateOnly(2026, 11, 20), ThrottleLevel.Normal, 4)]);

        Assert.All(due, d => Assert.Equal(9, d.State.Sequence));
        var outcomes = Decide(
            Noon,
            new ScopeEvaluation(due[0].State, due[0].Budget, Usage(BudgetPeriod.Cycle, Noon, spend: 600m)),
            new ScopeEvaluation(due[1].State, due[1].Budget, Usage(BudgetPeriod.Day, Noon, spend: 60m)));

        Assert.Equal([10L, 11L], outcomes.Select(o => o.Command!.Sequence));
        Assert.Equal([BudgetPeriod.Cycle, BudgetPeriod.Day], outcomes.Select(o => o.Command!.Period!.Value));
    }

    [Fact]
    public void A_daily_tenant_budget_continues_the_sequence_of_the_tenants_own_budget_and_says_its_scope_and_period()
    {
        var tenantDay = State(BudgetScope.Tenant, BudgetPeriod.Day, new DateOnly(2026, 11, 19), ThrottleLevel.Normal, 3);

        // the tenant's own (cycle) budget is at 12; the daily budget's own state says 3
        Assert.Equal(12, ScopedThrottles.TenantSequence(12, [tenantDay]));
        Assert.Equal(5, ScopedThrottles.TenantSequence(0, [State(AgentLoop, BudgetPeriod.Day, null, ThrottleLevel.Normal, 9), tenantDay with { Sequence = 5 }]));
        var due = ScopedThrottles.Due("acme", 12, [Daily(BudgetScope.Tenant, 100m), Daily(AgentLoop, 50m)], [tenantDay]);
        Assert.Equal([12L, 0L], due.Select(d => d.State.Sequence));

        var outcome = Decide(Noon, new ScopeEvaluation(due[0].State, due[0].Budget, Usage(BudgetPeriod.Day, Noon, spend: 101m)))[0];

        var command = outcome.Command!;
        Assert.Equal((ThrottleLevel.Block, 13L, BudgetScope.Tenant, BudgetPeriod.Day), (command.Level, command.Sequence, command.Scope, command.Period));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), command.ExpiresAt);
        Assert.StartsWith("tenant per day: ", command.Reason, StringComparison.Ordinal);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(command, MeteringJson.Options)).RootElement;
        Assert.Equal("tenant", json.GetProperty("scope").GetProperty("kind").GetString());
        Assert.Equal("day", json.GetProperty("period").GetString());
    }

    [Fact]
    public void The_tenants_own_budget_keeps_commands_without_scope_or_period()
    {
        var own = Decide(Noon, new ScopeEvaluation(State(BudgetScope.Tenant, BudgetPeriod.Cycle, November.StartDate, ThrottleLevel.Normal, 2), new ScopedBudget(BudgetScope.Tenant, BudgetPeriod.Cycle, new BudgetTerms(100m)), Usage(BudgetPeriod.Cycle, Noon, spend: 101m)))[0];

        Assert.Equal((3L, (BudgetScope?)null, (BudgetPeriod?)null), (own.Command!.Sequence, own.Command.Scope, own.Command.Period));
    }

    [Fact]
    public void A_deleted_budget_that_left_its_scope_throttled_is_decided_once_more_and_lifts()
    {
        var throttled = State(AgentLoop, BudgetPeriod.Day, new DateOnly(2026, 11, 20), ThrottleLevel.Block, 3);
        var settled = State(SupportBot, BudgetPeriod.Day, new DateOnly(2026, 11, 20), ThrottleLevel.Normal, 2);

        var due = ScopedThrottles.Due("acme", 0, [], [throttled, settled]);

        var (state, budget) = Assert.Single(due);
        Assert.Equal((AgentLoop, (ScopedBudget?)null), (state.Scope, budget));
        var outcome = Decide(Noon, new ScopeEvaluation(state, null, Usage(BudgetPeriod.Day, Noon, spend: 80m)))[0];
        Assert.Equal((ThrottleLevel.Normal, 4L, (string?)null), (outcome.Command!.Level, outcome.Command.Sequence, outcome.Command.Budget));
    }

    [Fact]
    public void A_new_budget_starts_from_normal_at_the_scopes_last_sequence()
    {
        var due = ScopedThrottles.Due("acme", 0, [Daily(AgentLoop, 50m)], [State(AgentLoop, BudgetPeriod.Cycle, November.StartDate, ThrottleLevel.Normal, 7)]);

        var (state, _) = Assert.Single(due);
        Assert.Equal((BudgetPeriod.Day, ThrottleLevel.Normal, 7L, (DateOnly?)null), (state.Period, state.Level, state.Sequence, state.Cycle));
    }

    [Fact]
    public void Evaluating_the_same_scope_twice_issues_one_command()
    {
        var evaluation = new ScopeEvaluation(State(AgentLoop, BudgetPeriod.Day, null, ThrottleLevel.Normal, 0), Daily(AgentLoop, 50m), Usage(BudgetPeriod.Day, Noon, spend: 55m));
        var first = Decide(Noon, evaluation)[0];
        var again = Decide(Noon, evaluation with { State = first.State })[0];

        Assert.NotNull(first.Command);
        Assert.Null(again.Command);
        Assert.Equal(first.State, again.State);
    }
}
