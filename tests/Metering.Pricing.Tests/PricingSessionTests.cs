using Metering.Pricing.Usage;

namespace Metering.Pricing.Tests;

public sealed class PricingSessionTests
{
    [Fact]
    public void A_repeated_tenant_and_event_id_is_a_duplicate_and_not_priced_again()
    {
        var session = Given.Session();
        var usage = Given.Usage(prompt: 1_000, eventId: "once");

        Assert.NotNull(session.Price(usage).Priced);
        var again = session.Price(usage with { PromptTokens = 5 });

        Assert.Equal(RejectionCodes.Duplicate, again.Rejection?.Code);
        Assert.Equal(1_000, session.TierCounters.Values.Single());
    }

    [Fact]
    public void The_same_event_id_for_another_tenant_is_not_a_duplicate()
    {
        var session = Given.Session();

        Assert.NotNull(session.Price(Given.Usage(eventId: "x", tenant: "a")).Priced);
        Assert.NotNull(session.Price(Given.Usage(eventId: "x", tenant: "b")).Priced);
    }

    [Fact]
    public void A_rejected_event_id_may_be_sent_again_and_priced()
    {
        var session = Given.Session();

        Assert.Equal(RejectionCodes.UnknownModel, session.Price(Given.Usage(model: "gpt-9", eventId: "retry")).Rejection?.Code);
        Assert.NotNull(session.Price(Given.Usage(eventId: "retry")).Priced);
    }

    [Fact]
    public void Tier_counters_are_kept_per_tenant_cycle_and_provider()
    {
        var session = Given.Session();
        var december = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

        session.Price(Given.Usage("deepseek", "deepseek-v4-pro", prompt: 99_000_000));
        session.Price(Given.Usage("openrouter", "deepseek-v4-pro", prompt: 5_000_000));
        session.Price(Given.Usage("deepseek", "deepseek-v4-pro", prompt: 5_000_000, tenant: "other"));
        session.Price(Given.Usage("deepseek", "deepseek-v4-pro", prompt: 5_000_000, at: december));
        var crossing = session.Price(Given.Usage("deepseek", "deepseek-v4-pro", prompt: 2_000_000)).Priced!;

        Assert.Equal(99_000_000, crossing.TierPositionBefore);
        Assert.Equal([(0, 1_000_000L), (1, 1_000_000L)], crossing.Charges.Select(c => (c.Tier, c.Tokens)));
        Assert.Equal(101_000_000, session.TierCounters[new TierCounterKey("acme", new DateOnly(2026, 11, 1), "deepseek")]);
    }

    [Fact]
    public void A_seeded_counter_continues_the_cycle()
    {
        var session = Given.Session();
        session.TierCounters[new TierCounterKey("acme", new DateOnly(2026, 11, 1), "deepseek")] = 100_000_000;

        var priced = session.Price(Given.Usage("deepseek", "deepseek-v4-pro", prompt: 1_000_000)).Priced!;

        Assert.Equal(0.14m, priced.Price.Cost);
    }

    [Fact]
    public void Models_of_one_provider_share_its_volume_counter()
    {
        var session = Given.Session();

        session.Price(Given.Usage("openai", "gpt-4o", prompt: 1_000));
        var mini = session.Price(Given.Usage("openai", "gpt-4o-mini", prompt: 1_000)).Priced!;

        Assert.Equal(1_000, mini.TierPositionBefore);
    }

    [Fact]
    public void A_tenants_anchor_day_decides_its_cycle()
    {
        var session = Given.Session(tenants: new TenantSettings { TenantId = "mid", CycleAnchorDay = 15 });

        var priced = session.Price(Given.Usage(tenant: "mid", at: new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero))).Priced!;

        Assert.Equal("2026-11-15", priced.Terms.Cycle.Name);
    }

    [Fact]
    public void With_an_arrival_time_late_and_future_events_are_rejected()
    {
        var session = Given.Session();
        var arrived = new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero);
        var grace = TimeSpan.FromHours(72);

        Assert.Equal(RejectionCodes.CycleClosed, session.Price(Given.Usage(), new Arrival(arrived, grace)).Rejection?.Code);
        Assert.Equal(RejectionCodes.FutureTimestamp, session.Price(Given.Usage(at: arrived.AddMinutes(6)), new Arrival(arrived, grace)).Rejection?.Code);
        Assert.NotNull(session.Price(Given.Usage(at: arrived.AddDays(-1)), new Arrival(arrived, grace)).Priced);
    }

    [Fact]
    public void An_adjustment_is_priced_into_the_given_cycle_at_the_price_in_effect_when_it_occurred()
    {
        var session = Given.Session();
        var current = BillingCycle.Containing(new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero), 1);

        var priced = session.Price(Given.Usage(prompt: 1_000_000), new Arrival(current.Start.AddDays(9), TimeSpan.Zero, AdjustAt: current.Start.AddDays(9))).Priced!;

        Assert.True(priced.IsAdjustment);
        Assert.Equal("2026-12-01", priced.Terms.Cycle.Name);
        Assert.Equal(2.5m, priced.Price.Cost);
        Assert.Equal(1_000_000, session.TierCounters[new TierCounterKey("acme", new DateOnly(2026, 12, 1), "openai")]);
    }
}
