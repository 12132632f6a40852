using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Metering.Contracts;
using Metering.Hosting;
using Metering.Producer;
using Microsoft.Extensions.Options;

namespace Metering.Samples.Gateway;

/// <summary>
/// Serves simulated LLM calls for each tenant in its traffic shape. Every call first asks the tenant's rate limiter
/// (which follows the tenant's throttle command); a refused call is what an end user would see as a 429, and is not
/// metered. A served call is published as a <see cref="TokenUsage"/> through the producer library.
/// </summary>
public sealed class TrafficGenerator(
    IOptions<GatewayOptions> options,
    ITokenUsagePublisher publisher,
    PartitionedRateLimiter<string> limiter,
    GatewayStatus status,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<TrafficGenerator> logger) : BackgroundService
{
    private readonly Counter<long> requests =
        meters.Create(Telemetry.MeterName).CreateCounter<long>("metering.gateway.requests", "{request}", "Simulated LLM calls by tenant and outcome (served or throttled)");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.Tenants.Select(tenant => ServeAsync(tenant, stoppingToken)));

    private async Task ServeAsync(TenantProfile tenant, CancellationToken stoppingToken)
    {
        var random = new Random(tenant.TenantId.GetHashCode(StringComparison.Ordinal));
        var started = time.GetUtcNow();
        var sequence = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            var rate = RateAt(tenant, time.GetUtcNow() - started);
            await Task.Delay(TimeSpan.FromSeconds(random.NextDouble() * 2 / rate), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            using var lease = limiter.AttemptAcquire(tenant.TenantId);
            if (!lease.IsAcquired)
            {
                requests.Add(1, new("tenant", tenant.TenantId), new("outcome", "throttled"));
                status.Throttled(tenant.TenantId);
                continue;
            }

            try
            {
                await publisher.PublishAsync(Call(tenant, random, ++sequence), stoppingToken);
                requests.Add(1, new("tenant", tenant.TenantId), new("outcome", "served"));
                status.Served(tenant.TenantId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not publish usage of {TenantId}: {Error}", tenant.TenantId, e.Message);
            }
        }
    }

    /// <summary>Requests per second at a moment of the tenant's life.</summary>
    private static double RateAt(TenantProfile tenant, TimeSpan age) => tenant.Shape switch
    {
        TrafficShape.Bursty => age.TotalSeconds % 30 < 10 ? tenant.RequestsPerSecond * 5 : tenant.RequestsPerSecond / 2,
        TrafficShape.Runaway => tenant.RequestsPerSecond * Math.Min(32, Math.Pow(2, age.TotalMinutes)),
        _ => tenant.RequestsPerSecond,
    };

    private TokenUsage Call(TenantProfile tenant, Random random, long sequence)
    {
        var model = tenant.Models[random.Next(tenant.Models.Count)];
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        var (prompt, completion) = tenant.Shape switch
        {
            TrafficShape.Whale => (random.NextInt64(400_000, 2_000_000), random.NextInt64(500, 8_000)),
            TrafficShape.Runaway => (random.NextInt64(8_000, 30_000), random.NextInt64(500, 2_000)),
            _ => (random.NextInt64(500, 30_000), random.NextInt64(50, 1_500)),
        };

        // Conversations re-send their history: most of a long prompt is a cache hit, sometimes past the 128K cap.
        var cached = random.NextDouble() < 0.6 ? (long)(prompt * random.NextDouble() * 0.9) : 0;
        return new TokenUsage
        {
            EventId = $"{tenant.TenantId}-{time.GetUtcNow().ToUnixTimeMilliseconds()}-{sequence}",
            TenantId = tenant.TenantId,
            Provider = model[..slash],
            Model = model[(slash + 1)..],
            PromptTokens = prompt,
            CompletionTokens = completion,
            CachedTokens = cached,
            MaxTokens = random.NextDouble() < 0.5 ? Math.Max(completion, 4_096) : null, // over-allocated max_tokens
            OccurredAt = time.GetUtcNow(),
            Service = tenant.Service,
            RequestId = $"req-{sequence}",
            Attributes = new Dictionary<string, string> { ["feature"] = tenant.Shape.ToString().ToLowerInvariant() },
        };
    }
}

/// <summary>What the gateway has served and refused per tenant, for <c>GET /status</c>.</summary>
public sealed class GatewayStatus
{
    private readonly ConcurrentDictionary<string, (long Served, long Throttled)> counts = new(StringComparer.Ordinal);

    public void Served(string tenantId) => counts.AddOrUpdate(tenantId, (1, 0), (_, c) => (c.Served + 1, c.Throttled));

    public void Throttled(string tenantId) => counts.AddOrUpdate(tenantId, (0, 1), (_, c) => (c.Served, c.Throttled + 1));

    public IReadOnlyDictionary<string, (long Served, long Throttled)> Counts => counts;
}
