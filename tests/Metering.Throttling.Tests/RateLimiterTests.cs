using System.Net;
using System.Threading.RateLimiting;
using Metering.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metering.Throttling.Tests;

public sealed class RateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CycleEnd = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider clock = new(Start);
    private readonly ThrottleBook book;
    private readonly ThrottlingOptions options = new() { PermitsPerSecond = 10, Burst = 10 };

    public RateLimiterTests() => book = new ThrottleBook(clock);

    private static ThrottleCommand Command(ThrottleLevel level, long sequence, string tenant = "acme", DateTimeOffset? expires = null) => new()
    {
        CommandId = MessageIds.ThrottleCommand(tenant, "2026-11-01", sequence),
        TenantId = tenant,
        Cycle = "2026-11-01",
        Level = level,
        RequestRateFactor = level switch { ThrottleLevel.Slowdown => 0.5m, ThrottleLevel.Block => 0m, _ => 1m },
        Reason = $"test {level}",
        SpendToDate = "1.00",
        ProjectedSpend = "2.00",
        Budget = "2.00",
        Sequence = sequence,
        IssuedAt = Start,
        ExpiresAt = expires ?? CycleEnd,
    };

    /// <summary>Tries every 10 ms of fake time for <paramref name="seconds"/>; returns how many were granted.</summary>
    private int Granted(RateLimiter limiter, int seconds)
    {
        var granted = 0;
        for (var i = 0; i < seconds * 100; i++)
        {
            using var lease = limiter.AttemptAcquire();
            granted += lease.IsAcquired ? 1 : 0;
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        return granted;
    }

    [Fact]
    public void Without_a_command_a_tenant_gets_its_normal_rate()
    {
        using var limiter = new TenantRateLimiter("acme", book, options, clock);

        // a full bucket of 10, then 10 per second
        Assert.InRange(Granted(limiter, 10), 109, 111);
    }

    [Fact]
    public void Warn_keeps_the_normal_rate()
    {
        book.Apply(Command(ThrottleLevel.Warn, 1));
        using var limiter = new TenantRateLimiter("acme", book, options, clock);

        Assert.InRange(Granted(limiter, 10), 109, 111);
    }

    [Fact]
    public void Slowdown_halves_the_rate()
    {
        book.Apply(Command(ThrottleLevel.Slowdown, 1));
        using var limiter = new TenantRateLimiter("acme", book, options, clock);

        // a bucket of 5, then 5 per second
        Assert.InRange(Granted(limiter, 10), 54, 56);
    }

    [Fact]
    public void Block_refuses_everything_with_a_retry_after_until_the_command_expires()
    {
        book.Apply(Command(ThrottleLevel.Block, 1, expires: Start.AddMinutes(2)));
        using var limiter = new TenantRateLimiter("acme", book, options, clock);

        using (var lease = limiter.AttemptAcquire())
        {
            Assert.False(lease.IsAcquired);
            Assert.True(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
            Assert.Equal(TimeSpan.FromMinutes(2), retryAfter);
        }

        Assert.Equal(0, Granted(limiter, 100));
        clock.Advance(TimeSpan.FromSeconds(20)); // now past the expiry
        Assert.True(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void The_rate_follows_the_newest_command_as_it_changes()
    {
        using var limiter = new TenantRateLimiter("acme", book, options, clock);
        book.Apply(Command(ThrottleLevel.Block, 1));
        Assert.Equal(0, Granted(limiter, 5));

        book.Apply(Command(ThrottleLevel.Normal, 2));
        Assert.InRange(Granted(limiter, 10), 99, 111);
    }

    [Fact]
    public void Stale_and_repeated_sequences_are_ignored()
    {
        Assert.True(book.Apply(Command(ThrottleLevel.Slowdown, 5)));
        Assert.False(book.Apply(Command(ThrottleLevel.Block, 4)));
        Assert.False(book.Apply(Command(ThrottleLevel.Normal, 5)));
        Assert.Equal(ThrottleLevel.Slowdown, book.For("acme")!.Level);

        Assert.True(book.Apply(Command(ThrottleLevel.Normal, 6)));
        Assert.Equal(ThrottleLevel.Normal, book.For("acme")!.Level);
    }

    [Fact]
    public void Tenants_are_limited_apart()
    {
        book.Apply(Command(ThrottleLevel.Block, 1, tenant: "runaway"));
        using var services = new ServiceCollection().AddSingleton(book).AddSingleton(options).AddSingleton<TimeProvider>(clock).BuildServiceProvider();
        using var limiter = ThrottlingSetup.CreateLimiter<string>(services, tenant => tenant);

        Assert.False(limiter.AttemptAcquire("runaway").IsAcquired);
        Assert.True(limiter.AttemptAcquire("steady").IsAcquired);
    }

    [Fact]
    public async Task Plugged_into_aspnetcore_a_blocked_tenant_gets_429_with_retry_after()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(book).AddSingleton(options).AddSingleton<TimeProvider>(clock);
        builder.Services.AddMeteringRateLimiter(http => http.Request.Headers["X-Tenant"].FirstOrDefault());
        await using var app = builder.Build();
        app.UseRateLimiter();
        app.MapGet("/chat", () => "ok");
        await app.StartAsync();
        book.Apply(Command(ThrottleLevel.Block, 1, tenant: "runaway", expires: Start.AddSeconds(90)));
        var client = app.GetTestClient();

        Task<HttpResponseMessage> SendAsync(string tenant)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/chat");
            request.Headers.Add("X-Tenant", tenant);
            return client.SendAsync(request);
        }

        var blocked = await SendAsync("runaway");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("90", blocked.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("steady")).StatusCode);
    }
}
