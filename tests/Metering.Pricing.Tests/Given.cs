global using Metering.Testing;
using Metering.Contracts;
using Metering.Pricing.Catalog;

namespace Metering.Pricing.Tests;

/// <summary>Small builders so each test states only what it is about.</summary>
internal static class Given
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static int nextEventId;

    public static TokenUsage Usage(
        string provider = "openai",
        string model = "gpt-4o",
        long prompt = 0,
        long completion = 0,
        long cached = 0,
        long cacheWrite = 0,
        long? maxTokens = null,
        string tenant = "acme",
        string? eventId = null,
        DateTimeOffset? at = null) => new()
        {
            EventId = eventId ?? $"evt-{Interlocked.Increment(ref nextEventId)}",
            TenantId = tenant,
            Provider = provider,
            Model = model,
            PromptTokens = prompt,
            CompletionTokens = completion,
            CachedTokens = cached,
            CacheWriteTokens = cacheWrite,
            MaxTokens = maxTokens,
            OccurredAt = at ?? Noon,
        };

    /// <summary>An entry with round rates, so expected amounts are easy to read: input 1, output 2, cache read 0.1 per 1M.</summary>
    public static PriceEntry Entry(
        decimal input = 1m,
        decimal output = 2m,
        decimal? cacheRead = 0.1m,
        long? cap = null,
        decimal? cacheWrite = null,
        bool reservedOutput = false,
        string? tiers = null) => new()
        {
            Provider = "p",
            Model = "m",
            EffectiveFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            InputPerMillion = input,
            OutputPerMillion = output,
            CacheReadPerMillion = cacheRead,
            CacheReadCapTokens = cap,
            CacheWritePerMillion = cacheWrite,
            BillsReservedOutput = reservedOutput,
            TierSchedule = tiers,
        };

    /// <summary>Discount 0 below 100M, 0.75 from 100M: the shape of the deepseek-volume schedule.</summary>
    public static TierSchedule Volume { get; } = new("volume", [new TierStep(0, 0m), new TierStep(100_000_000, 0.75m)]);

    public static (PricedUsage Price, BucketCharge[] Charges) Price(
        TokenCounts tokens, PriceEntry entry, TierSchedule? schedule = null, long position = 0, DateTimeOffset? at = null)
    {
        var charges = new BucketCharge[BucketCharge.MaxPerEvent];
        var price = Pricer.Price(tokens, entry, schedule ?? TierSchedule.Flat, position, at ?? Noon, charges);
        return (price, charges[..price.ChargeCount]);
    }

    public static PricingSession Session(PriceCatalog? catalog = null, params TenantSettings[] tenants)
    {
        var byId = tenants.ToDictionary(t => t.TenantId);
        return new PricingSession(catalog ?? PriceCatalog.Default, id => byId.GetValueOrDefault(id) ?? TenantSettings.DefaultFor(id));
    }
}
