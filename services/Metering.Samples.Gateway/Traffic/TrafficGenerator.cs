using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Metering.Contracts;
using Metering.Hosting;
using Metering.Producer;
using Microsoft.Extensions.Options;

namespace Metering.Samples.Gateway.Traffic;

/// <summary>
/// Serves simulated LLM calls for each tenant in its traffic shape. Every call first asks the tenant's rate limiter
/// (which follows the tenant's throttle command); a refused call is what an end user would see as a 429, and is not
/// metered. A served call reaches Metering through each of the three front doors in turn (<see cref="Door"/>): as a
/// <see cref="TokenUsage"/> or as the provider's own response through the producer library, or as an OTLP span.
/// </summary>
public sealed class TrafficGenerator(
    IOptions<GatewayOptions> options,
    ITokenUsagePublisher publisher,
    GenAiSpans spans,
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
            var rate = DemoTraffic.RateAt(tenant, time.GetUtcNow() - started);
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
                var call = DemoTraffic.Call(tenant, random, ++sequence, time.GetUtcNow());
                var door = (Door)(sequence % 3);
                switch (door)
                {
                    case Door.Contract:
                        await publisher.PublishAsync(call, stoppingToken);
                        break;
                    case Door.Native:
                        await publisher.PublishResponseAsync(NativeResponses.For(call), stoppingToken);
                        break;
                    default:
                        spans.Record(call);
                        break;
                }

                requests.Add(1, new("tenant", tenant.TenantId), new("outcome", "served"), new("door", door.ToString().ToLowerInvariant()));
                status.Served(tenant.TenantId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not publish usage of {TenantId}: {Error}", tenant.TenantId, e.Message);
            }
        }
    }
}
