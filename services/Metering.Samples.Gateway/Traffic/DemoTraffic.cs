using Metering.Contracts;

namespace Metering.Samples.Gateway.Traffic;

/// <summary>
/// The demo tenants' traffic: how fast each shape calls, and what one call looks like. The generator serves it and
/// <see cref="DemoBudgets"/> prices it, so a budget always matches the traffic it is set against.
/// </summary>
public static class DemoTraffic
{
    /// <summary>A runaway loop doubles its rate every minute up to this multiple of its base rate.</summary>
    public const double RunawayCeiling = 32;

    /// <summary>Requests per second at a moment of the tenant's life.</summary>
    public static double RateAt(TenantProfile tenant, TimeSpan age) => tenant.Shape switch
    {
        TrafficShape.Bursty => age.TotalSeconds % 30 < 10 ? tenant.RequestsPerSecond * 5 : tenant.RequestsPerSecond / 2,
        TrafficShape.Runaway => tenant.RequestsPerSecond * Math.Min(RunawayCeiling, Math.Pow(2, age.TotalMinutes)),
        _ => tenant.RequestsPerSecond,
    };

    /// <summary>The long-run request rate: a burst cycle's mean, a runaway loop's ceiling.</summary>
    public static double SustainedRate(TenantProfile tenant) => tenant.Shape switch
    {
        TrafficShape.Bursty => (10 * tenant.RequestsPerSecond * 5 + 20 * tenant.RequestsPerSecond / 2) / 30,
        TrafficShape.Runaway => tenant.RequestsPerSecond * RunawayCeiling,
        _ => tenant.RequestsPerSecond,
    };

    /// <summary>One simulated LLM call of the tenant, drawn from its shape's distribution.</summary>
    public static TokenUsage Call(TenantProfile tenant, Random random, long sequence, DateTimeOffset now)
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
            EventId = $"{tenant.TenantId}-{now.ToUnixTimeMilliseconds()}-{sequence}",
            TenantId = tenant.TenantId,
            Provider = model[..slash],
            Model = model[(slash + 1)..],
            PromptTokens = prompt,
            CompletionTokens = completion,
            CachedTokens = cached,
            MaxTokens = random.NextDouble() < 0.5 ? Math.Max(completion, 4_096) : null, // over-allocated max_tokens
            OccurredAt = now,
            Service = tenant.Service,
            RequestId = $"req-{sequence}",
            Attributes = new Dictionary<string, string> { ["feature"] = tenant.Shape.ToString().ToLowerInvariant() },
        };
    }
}
