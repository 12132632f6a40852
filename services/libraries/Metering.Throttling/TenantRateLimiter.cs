using System.Threading.RateLimiting;
using Metering.Contracts;

namespace Metering.Throttling;

/// <summary>
/// One tenant's limiter — or one (tenant, scope)'s, for the requests a scoped budget throttles: a token bucket whose
/// rate follows the scope's throttle command — the tenant's normal rate times <c>requestRateFactor</c> — and that
/// refuses everything, with a Retry-After until the command expires, on <c>block</c>. Time comes from a
/// <see cref="TimeProvider"/>; it never queues.
/// </summary>
public sealed class TenantRateLimiter : RateLimiter
{
    private readonly string tenantId;
    private readonly BudgetScope scope;
    private readonly ThrottleBook book;
    private readonly double normalRate;
    private readonly int burst;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private double tokens;
    private long lastTicks;
    private long leased;
    private long refused;

    public TenantRateLimiter(string tenantId, ThrottleBook book, ThrottlingOptions options, TimeProvider time)
        : this(tenantId, BudgetScope.Tenant, book, options, time)
    {
    }

    public TenantRateLimiter(string tenantId, BudgetScope scope, ThrottleBook book, ThrottlingOptions options, TimeProvider time)
    {
        this.tenantId = tenantId;
        this.scope = scope;
        this.book = book;
        this.time = time;
        normalRate = options.PermitsPerSecondFor?.Invoke(tenantId) ?? options.PermitsPerSecond;
        burst = Math.Max(1, options.Burst);
        tokens = burst;
        lastTicks = time.GetTimestamp();
    }

    public override TimeSpan? IdleDuration => null;

    /// <summary>The rate in force now: normal × factor, or 0 while blocked.</summary>
    public double CurrentRate => book.For(tenantId, scope) is { } command ? normalRate * (double)command.RequestRateFactor : normalRate;

    public override RateLimiterStatistics GetStatistics() => new()
    {
        CurrentAvailablePermits = (long)tokens,
        TotalSuccessfulLeases = Interlocked.Read(ref leased),
        TotalFailedLeases = Interlocked.Read(ref refused),
    };

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var command = book.For(tenantId, scope);
        if (command is { Level: ThrottleLevel.Block } or { RequestRateFactor: 0 })
        {
            Interlocked.Increment(ref refused);
            return new Lease(false, command.ExpiresAt - time.GetUtcNow(), command.Reason);
        }

        var rate = normalRate * (double)(command?.RequestRateFactor ?? 1m);
        var capacity = Math.Max(1, burst * (double)(command?.RequestRateFactor ?? 1m));
        lock (gate)
        {
            var now = time.GetTimestamp();
            tokens = Math.Min(capacity, tokens + time.GetElapsedTime(lastTicks, now).TotalSeconds * rate);
            lastTicks = now;
            if (tokens >= permitCount)
            {
                tokens -= permitCount;
                Interlocked.Increment(ref leased);
                return new Lease(true, null, null);
            }

            Interlocked.Increment(ref refused);
            return new Lease(false, TimeSpan.FromSeconds((permitCount - tokens) / rate), command?.Reason);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired, TimeSpan? retryAfter, string? reason) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : reason is null ? [MetadataName.RetryAfter.Name] : [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : metadataName == MetadataName.ReasonPhrase.Name ? reason : null;
            return metadata is not null;
        }
    }
}
