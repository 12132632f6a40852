using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// DeepSeek chat completions: <c>usage.prompt_tokens</c> is the whole prompt (= <c>prompt_cache_hit_tokens</c> +
/// <c>prompt_cache_miss_tokens</c>) and <c>completion_tokens</c> includes the reasoner's
/// <c>completion_tokens_details.reasoning_tokens</c>. Cache reads are DeepSeek's own <c>prompt_cache_hit_tokens</c>;
/// only when that is absent is the OpenAI-style <c>prompt_tokens_details.cached_tokens</c> read (the dataset's
/// extractor reads only the latter, and so misses the cache on responses that carry only DeepSeek's field).
/// DeepSeek bills no cache writes. A stream's last chunk carries the usage.
/// </summary>
public sealed class DeepSeekChatAdapter : INativeUsageAdapter
{
    public string Format => "deepseek-chat";

    public NativeUsage? Read(JsonElement response, List<string> problems)
    {
        if (!StreamEvents.TryFinal(response, chunk => StreamEvents.HasObject(chunk, "usage"), "usage", problems, out var final, out var at)
            || !ResponseFields.TryObject(final, at, "usage", required: true, problems, out var usage))
        {
            return null;
        }

        var u = $"{at}.usage";
        var prompt = ResponseFields.Required(usage, u, "prompt_tokens", problems);
        var cached = ResponseFields.Has(usage, "prompt_cache_hit_tokens")
            ? ResponseFields.Optional(usage, u, "prompt_cache_hit_tokens", problems)
            : ResponseFields.Optional(usage, u, "prompt_tokens_details", "cached_tokens", problems);
        var completion = ResponseFields.Required(usage, u, "completion_tokens", problems);
        var reasoning = ResponseFields.Optional(usage, u, "completion_tokens_details", "reasoning_tokens", problems);

        return prompt is { } p && completion is { } c
            ? new NativeUsage(p, c, cached, 0, reasoning, ResponseFields.Model(final, "model"), $"{at}.model")
            : null;
    }
}
