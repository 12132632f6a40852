using BenchmarkDotNet.Attributes;
using Metering.Contracts;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Bench.Micro;

/// <summary>
/// The per-event hot path of the consumer and the offline pricer: resolve the catalog entry, tier schedule and cycle,
/// then price the event through the tiers. Target (SPEC §12): ≥ 5 M events/s on one core, 0 bytes per event, with the
/// whole built-in catalog loaded (SPEC §13): half the events name a model as producers send it (a dated snapshot, an
/// alias, a provider's fallback), a community model with long-context tiers, or one with daily windows.
/// </summary>
[MemoryDiagnoser]
public class PricingBenchmarks
{
    private const int Events = 1_024;

    private readonly PriceCatalog catalog = PriceCatalog.Default;
    private readonly BucketCharge[] charges = new BucketCharge[BucketCharge.MaxPerEvent];
    private TokenUsage[] usages = [];
    private TenantSettings[] tenants = [];
    private long[] positions = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        (string Provider, string Model)[] models =
        [
            ("deepseek", "deepseek-v4-pro"), ("openrouter", "deepseek-v4-pro"), ("deepinfra", "deepseek-v4-pro"),
            ("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-3-5-sonnet"),
            ("anthropic", "claude-sonnet-4-5-20250929"), ("openai", "gpt-4o-2024-08-06"), ("azure", "gpt-4o-mini"),
            ("google", "gemini-2.5-pro"), ("deepseek", "deepseek-chat"), ("anthropic", "claude-3.5-sonnet-latest"),
        ];
        foreach (var (provider, model) in models)
        {
            _ = catalog.Resolve(provider, model) ?? throw new InvalidOperationException($"the built-in catalog does not price {provider}/{model}");
        }

        var newCustomer = new TenantSettings
        {
            TenantId = "newco",
            CycleAnchorDay = 15,
            TierScheduleOverrides = new Dictionary<string, string> { ["deepseek"] = "deepseek-new-customer" },
        };

        usages = new TokenUsage[Events];
        tenants = new TenantSettings[Events];
        positions = new long[Events];
        for (var i = 0; i < Events; i++)
        {
            var (provider, model) = models[random.Next(models.Length)];
            var prompt = random.NextInt64(100, 200_000);
            usages[i] = new TokenUsage
            {
                EventId = $"evt-{i}",
                TenantId = i % 3 == 0 ? "newco" : "acme",
                Provider = provider,
                Model = model,
                PromptTokens = prompt,
                CompletionTokens = random.NextInt64(0, 4_000),
                CachedTokens = random.NextInt64(0, prompt),
                MaxTokens = 4_096,
                OccurredAt = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero).AddSeconds(i),
            };
            tenants[i] = i % 3 == 0 ? newCustomer : TenantSettings.DefaultFor("acme");

            // A third of the events sit right at the 100M boundary, so they are split across two tiers.
            positions[i] = i % 3 == 0 ? 100_000_000 - random.NextInt64(0, 100_000) : random.NextInt64(0, 300_000_000);
        }
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "resolve + price, per event")]
    public decimal PriceEvent()
    {
        var total = 0m;
        for (var i = 0; i < usages.Length; i++)
        {
            var usage = usages[i];
            if (Pricer.TryResolve(catalog, tenants[i], usage.Provider, usage.Model, usage.OccurredAt, out var terms))
            {
                total += Pricer.Price(TokenCounts.Of(usage), terms.Entry, terms.Schedule, positions[i], usage.OccurredAt, charges).Cost;
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "resolve only, per event")]
    public int ResolveOnly()
    {
        var found = 0;
        for (var i = 0; i < usages.Length; i++)
        {
            var usage = usages[i];
            if (Pricer.TryResolve(catalog, tenants[i], usage.Provider, usage.Model, usage.OccurredAt, out _))
            {
                found++;
            }
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "price only, per event")]
    public decimal PriceOnly()
    {
        var total = 0m;
        var entry = catalog.Find("deepseek", "deepseek-v4-pro", usages[0].OccurredAt)!;
        var schedule = catalog.TierSchedules["deepseek-volume"];
        for (var i = 0; i < usages.Length; i++)
        {
            total += Pricer.Price(TokenCounts.Of(usages[i]), entry, schedule, positions[i], usages[i].OccurredAt, charges).Cost;
        }

        return total;
    }
}
