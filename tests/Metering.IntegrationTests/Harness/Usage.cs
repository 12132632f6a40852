using Metering.Contracts;

namespace Metering.IntegrationTests.Harness;

/// <summary>Usage events for tests, happening now unless told otherwise.</summary>
internal static class Usage
{
    public static TokenUsage Event(
        string eventId,
        string tenant = "acme",
        string provider = "openai",
        string model = "gpt-4o",
        long prompt = 1_000,
        long completion = 100,
        long cached = 0,
        long? maxTokens = null,
        DateTimeOffset? at = null,
        string? service = null,
        IReadOnlyDictionary<string, string>? attributes = null) => new()
        {
            EventId = eventId,
            TenantId = tenant,
            Provider = provider,
            Model = model,
            PromptTokens = prompt,
            CompletionTokens = completion,
            CachedTokens = cached,
            MaxTokens = maxTokens,
            OccurredAt = at ?? DateTimeOffset.UtcNow.AddSeconds(-1),
            Service = service,
            Attributes = attributes,
        };

    /// <summary>
    /// A realistic mixed stream: several tenants and providers, cache hits, reserved output. Keep
    /// count × <paramref name="maxPrompt"/> under the 100M tier boundary per tenant and provider when the order events are
    /// priced in may differ from the order they were sent (several consumers, redeliveries): below the boundary every
    /// order gives the same totals.
    /// </summary>
    public static List<TokenUsage> MixedStream(int count, string prefix = "evt", int seed = 7, long maxPrompt = 300_000)
    {
        var random = new Random(seed);
        (string Provider, string Model)[] models =
        [
            ("deepseek", "deepseek-v4-pro"), ("openrouter", "deepseek-v4-pro"), ("deepinfra", "deepseek-v4-pro"),
            ("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-3-5-sonnet"),
        ];
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var (provider, model) = models[random.Next(models.Length)];
            var prompt = random.NextInt64(100, maxPrompt);
            return Event(
                $"{prefix}-{i}",
                tenant: random.Next(3) switch { 0 => "acme", 1 => "globex", _ => "initech" },
                provider: provider,
                model: model,
                prompt: prompt,
                completion: random.NextInt64(0, 8_000),
                cached: random.NextInt64(0, prompt),
                maxTokens: random.Next(2) == 0 ? null : 8_192,
                at: now.AddMilliseconds(i),
                service: random.Next(2) == 0 ? "support-bot" : "search");
        })];
    }
}
