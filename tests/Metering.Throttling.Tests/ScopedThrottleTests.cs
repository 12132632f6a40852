using System.Threading.RateLimiting;
using Metering.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metering.Throttling.Tests;

public sealed class ScopedThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CycleEnd = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Midnight = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private static readonly BudgetScope AgentLoop = new(ScopeKind.Service, "agent-loop");

    private readonly FakeTimeProvider clock = new(Start);
    private readonly ThrottleBook book;

    public ScopedThrottleTests() => book = new ThrottleBook(clock);

    private static ThrottleCommand Command(ThrottleLevel level, long sequence, BudgetScope? scope = null, BudgetPeriod? period = null, decimal? factor = null) => new()
    {
        CommandId = scope is null ? MessageIds.ThrottleCommand("acme", "2026-11-01", sequence) : MessageIds.ThrottleCommand("acme", scope, "2026-11-20", sequence),
        TenantId = "acme",
        Cycle = "2026-11-01",
        Scope = scope,
        Period = scope is null ? null : period ?? BudgetPeriod.Day,
        Level = level,
        RequestRateFactor = factor ?? level switch { ThrottleLevel.Slowdown => 0.5m, ThrottleLevel.Block => 0m, _ => 1m },
        Reason = $"test {level}",
        SpendToDate = "1.00",
        ProjectedSpend = "2.00",
        Budget = "2.00",
        Sequence = sequence,
        IssuedAt = Start,
        ExpiresAt = scope is not null && (period ?? BudgetPeriod.Day) == BudgetPeriod.Day ? Midnight : CycleEnd,
    };

    private static ThrottleRequest Request(string? service = null, string? feature = null, string? provider = null, string? model = null) =>
        new("acme", service, feature is null ? null : new Dictionary<string, string> { ["feature"] = feature }, provider, model);

    [Theory]
    [InlineData(ThrottleLevel.Warn, ThrottleLevel.Slowdown, ThrottleLevel.Slowdown)]
    [InlineData(ThrottleLevel.Block, ThrottleLevel.Slowdown, ThrottleLevel.Block)]
    [InlineData(ThrottleLevel.Slowdown, ThrottleLevel.Normal, ThrottleLevel.Slowdown)]
    [InlineData(ThrottleLevel.Normal, ThrottleLevel.Block, ThrottleLevel.Block)]
    public void Tenant_and_scope_levels_combine_to_the_strictest(ThrottleLevel tenant, ThrottleLevel service, ThrottleLevel expected)
    {
        book.Apply(Command(tenant, 3));
        book.Apply(Command(service, 8, AgentLoop));

        Assert.Equal(expected, book.For(Request(service: "agent-loop"))!.Level);
        Assert.Equal(tenant, book.For(Request(service: "support-bot"))!.Level);
        Assert.Equal(tenant, book.For("acme")!.Level);
    }

    [Fact]
    public void At_the_same_level_the_smallest_request_rate_factor_wins()
    {
        book.Apply(Command(ThrottleLevel.Slowdown, 1, factor: 0.5m));
        book.Apply(Command(ThrottleLevel.Slowdown, 1, AgentLoop, factor: 0.25m));

        Assert.Equal(0.25m, book.For(Request(service: "agent-loop"))!.RequestRateFactor);
    }

    [Fact]
    public void Attribute_and_model_scopes_match_only_the_requests_that_carry_them()
    {
        book.Apply(Command(ThrottleLevel.Block, 1, new BudgetScope(ScopeKind.Attribute, "feature=chat")));
        book.Apply(Command(ThrottleLevel.Slowdown, 1, new BudgetScope(ScopeKind.Model, "openai/gpt-4o")));

        Assert.Equal(ThrottleLevel.Block, book.For(Request(feature: "chat"))!.Level);
        Assert.Null(book.For(Request(feature: "search")));
        Assert.Null(book.For(Request()));
        Assert.Equal(ThrottleLevel.Slowdown, book.For(Request(provider: "openai", model: "gpt-4o"))!.Level);
        Assert.Null(book.For(Request(provider: "openai", model: "gpt-4o-mini")));
        Assert.Null(book.For(Request(provider: "azure", model: "gpt-4o")));
        Assert.Equal(ThrottleLevel.Block, book.For(Request(feature: "chat", provider: "openai", model: "gpt-4o"))!.Level);
    }

    [Fact]
    public void Sequences_are_compared_per_tenant_scope_and_period()
    {
        Assert.True(book.Apply(Command(ThrottleLevel.Block, 5, AgentLoop)));
        Assert.False(book.Apply(Command(ThrottleLevel.Normal, 4, AgentLoop)));        // older for the same scope: ignored
        Assert.True(book.Apply(Command(ThrottleLevel.Warn, 1)));                       // the tenant's own: a sequence of its own
        Assert.True(book.Apply(Command(ThrottleLevel.Normal, 6, AgentLoop, BudgetPeriod.Cycle)));  // the scope's cycle budget beside its day budget

        Assert.Equal(ThrottleLevel.Block, book.For("acme", AgentLoop)!.Level);
        Assert.Equal(3, book.All.Count);
    }

    [Fact]
    public void A_daily_block_ends_at_midnight_UTC()
    {
        book.Apply(Command(ThrottleLevel.Block, 1, AgentLoop));
        Assert.Equal(ThrottleLevel.Block, book.For(Request(service: "agent-loop"))!.Level);

        clock.SetUtcNow(Midnight);

        Assert.Null(book.For(Request(service: "agent-loop")));
    }

    [Fact]
    public void A_service_block_refuses_only_that_services_requests_and_the_tenant_only_limiter_ignores_it()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock);
        services.AddMeteringThrottling(options => options.Api = null);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ThrottleBook>().Apply(Command(ThrottleLevel.Block, 1, AgentLoop));
        var scoped = provider.GetRequiredService<PartitionedRateLimiter<ThrottleRequest>>();
        var tenantOnly = provider.GetRequiredService<PartitionedRateLimiter<string>>();

        using var refused = scoped.AttemptAcquire(Request(service: "agent-loop"));
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(Midnight - Start, retryAfter);
        Assert.True(scoped.AttemptAcquire(Request(service: "support-bot")).IsAcquired);
        Assert.True(scoped.AttemptAcquire(Request()).IsAcquired);
        Assert.True(tenantOnly.AttemptAcquire("acme").IsAcquired);
    }

    [Fact]
    public void A_slowed_service_has_a_bucket_of_its_own_at_the_reduced_rate()
    {
        var options = new ThrottlingOptions { PermitsPerSecond = 10, Burst = 10 };
        book.Apply(Command(ThrottleLevel.Slowdown, 1, AgentLoop));
        using var service = new TenantRateLimiter("acme", AgentLoop, book, options, clock);
        using var tenant = new TenantRateLimiter("acme", book, options, clock);

        Assert.Equal(5, service.CurrentRate);
        Assert.Equal(10, tenant.CurrentRate);
    }
}
