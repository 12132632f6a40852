using System.Text.Json;
using Metering.Contracts;

namespace Metering.Bench;

/// <summary>Realistic usage: five tenants, six provider/model pairs, cache hits and reserved output, all happening now.</summary>
internal static class Workload
{
    private static readonly (string Provider, string Model)[] Models =
    [
        ("deepseek", "deepseek-v4-pro"), ("openrouter", "deepseek-v4-pro"), ("deepinfra", "deepseek-v4-pro"),
        ("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-3-5-sonnet"),
    ];

    public static readonly string[] Tenants = ["acme", "globex", "initech", "umbrella", "hooli"];

    public static IEnumerable<TokenUsage> Events(int count, string run)
    {
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var (provider, model) = Models[random.Next(Models.Length)];
            var prompt = random.NextInt64(200, 20_000);
            yield return new TokenUsage
            {
                EventId = $"{run}-{i}",
                TenantId = Tenants[random.Next(Tenants.Length)],
                Provider = provider,
                Model = model,
                PromptTokens = prompt,
                CompletionTokens = random.NextInt64(10, 2_000),
                CachedTokens = random.NextInt64(0, prompt / 2),
                MaxTokens = random.Next(3) == 0 ? 4_096 : null,
                OccurredAt = now,
                Service = random.Next(2) == 0 ? "chat" : "search",
                RequestId = $"req-{i}",
            };
        }
    }

    /// <summary>Message bodies of <paramref name="perMessage"/> events each: a bare object when 1, an array otherwise.</summary>
    public static List<byte[]> Bodies(int events, int perMessage, string run) =>
        perMessage == 1
            ? [.. Events(events, run).Select(e => JsonSerializer.SerializeToUtf8Bytes(e, MeteringJson.Options))]
            : [.. Events(events, run).Chunk(perMessage).Select(chunk => JsonSerializer.SerializeToUtf8Bytes(chunk, MeteringJson.Options))];
}
