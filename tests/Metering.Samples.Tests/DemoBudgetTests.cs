using Metering.Budget.Decisions;
using Metering.Contracts;
using Metering.Pricing;
using Metering.Pricing.Catalog;
using Metering.Samples.Gateway;
using Metering.Samples.Gateway.Traffic;
using Microsoft.Extensions.Configuration;

namespace Metering.Samples.Tests;

/// <summary>
/// The demo tells the truth: with the gateway's own settings and the saga's demo settings (infra/up.sh), only
/// <c>runaway</c> is ever throttled. Replayed on a simulated clock through the saga's pure decision.
/// </summary>
public sealed class DemoBudgetTests
{
    private static readonly GatewayOptions Demo = LoadDemo();

    /// <summary>The saga's settings in infra/up.sh: a 15-minute window, projecting from the first event.</summary>
    private static readonly SagaSettings DemoSaga = new() { Window = TimeSpan.FromMinutes(15), MinimumHistory = TimeSpan.Zero };

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Starts => new()
    {
        "2026-11-01T00:10:00Z", // ten minutes into a cycle
        "2026-11-15T12:00:00Z", // the middle of one
        "2026-11-28T18:00:00Z", // two days before it ends
    };

    [Fact]
    public void The_demo_has_the_five_tenants_of_the_README_and_every_one_has_a_derived_budget()
    {
        Assert.Equal(["acme", "globex", "initech", "whale", "runaway"], Demo.Tenants.Select(t => t.TenantId));
        Assert.All(Demo.Tenants, t => Assert.True(t.BudgetCovers is not null && t.Budget is null, $"{t.TenantId}'s budget is typed, not derived"));
    }

    [Fact]
    public void A_tenant_that_should_carry_on_gets_at_least_three_times_what_its_traffic_costs_over_a_whole_cycle()
    {
        var now = DateTimeOffset.Parse("2026-11-15T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var tenant in Demo.Tenants.Where(t => t.Shape != TrafficShape.Runaway))
        {
            var perCycle = DemoBudgets.MeanCallCost(tenant, PriceCatalog.Default, now) * (decimal)DemoTraffic.SustainedRate(tenant) * 31 * 86_400;
            var budget = DemoBudgets.For(tenant, PriceCatalog.Default, now)!.Value;
            Assert.True(budget >= 3 * perCycle, $"{tenant.TenantId}: budget {budget} < 3 × {perCycle:0.00} a cycle");
        }
    }

    [Theory]
    [MemberData(nameof(Starts))]
    public void Over_half_an_hour_of_demo_traffic_only_runaway_leaves_normal_and_it_does_so_within_a_minute(string start)
    {
        var started = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        var levels = Demo.Tenants.ToDictionary(t => t.TenantId, t => Replay(t, started, TimeSpan.FromMinutes(30)));

        Assert.All(levels.Where(l => l.Key != "runaway"), l => Assert.True(l.Value.Count == 0, $"{l.Key} was throttled: {string.Join(", ", l.Value)}"));
        var runaway = levels["runaway"];
        Assert.NotEmpty(runaway);
        Assert.True(runaway[0].After <= TimeSpan.FromMinutes(1), $"runaway first left normal after {runaway[0].After}");
    }

    /// <summary>Every level change the saga decides for the tenant's traffic, ticking every 10 s, with when it came.</summary>
    private static List<(TimeSpan After, ThrottleLevel Level)> Replay(TenantProfile tenant, DateTimeOffset started, TimeSpan length)
    {
        var settings = TenantSettings.DefaultFor(tenant.TenantId);
        var session = new PricingSession(PriceCatalog.Default, _ => settings);
        var budget = new BudgetTerms(DemoBudgets.For(tenant, PriceCatalog.Default, started)!.Value);
        var random = new Random(tenant.TenantId.Length);
        var tokens = new List<(DateTimeOffset At, BucketTokens Tokens)>();
        var state = SagaState.Initial(tenant.TenantId);
        var changes = new List<(TimeSpan, ThrottleLevel)>();
        var spend = 0m;
        DateTimeOffset? first = null;
        var now = started;
        var sequence = 0L;
        for (var nextTick = started + Tick; nextTick <= started + length; nextTick += Tick)
        {
            // The calls of this tick, spaced at the rate of the moment.
            while (true)
            {
                var rate = DemoTraffic.RateAt(tenant, now - started);
                now += TimeSpan.FromSeconds(1 / rate);
                if (now > nextTick)
                {
                    now = nextTick;
                    break;
                }

                var priced = session.Price(DemoTraffic.Call(tenant, random, ++sequence, now)).Priced!;
                spend += priced.Price.Cost;
                first ??= now;
                foreach (var charge in priced.Charges)
                {
                    tokens.Add((now, new BucketTokens(priced.Usage.Provider, priced.Usage.Model, charge.Kind, charge.Tokens)));
                }
            }

            var cycle = BillingCycle.Containing(now, settings.CycleAnchorDay);
            var windowStart = SpendProjection.WindowStart(cycle, now, DemoSaga.Window);
            var window = tokens.Where(t => t.At >= windowStart)
                .GroupBy(t => (t.Tokens.Provider, t.Tokens.Model, t.Tokens.Bucket))
                .Select(g => new BucketTokens(g.Key.Provider, g.Key.Model, g.Key.Bucket, g.Sum(t => t.Tokens.Tokens)))
                .ToList();
            var counters = session.TierCounters.Where(c => c.Key.Cycle == cycle.StartDate).ToDictionary(c => c.Key.Provider, c => c.Value);
            var usage = new CycleUsage(cycle, spend, counters, first, windowStart, window);
            var decision = ThrottleDecision.Decide(state, budget, usage, PriceCatalog.Default, settings, now, DemoSaga);
            if (decision.Command is { } command)
            {
                changes.Add((now - started, command.Level));
            }

            state = decision.State;
        }

        return changes;
    }

    private static GatewayOptions LoadDemo()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "gateway.appsettings.json")).Build();
        return configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>()!;
    }
}
