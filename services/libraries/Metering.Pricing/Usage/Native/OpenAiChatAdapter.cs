using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// OpenAI Chat Completions (and the many APIs that copy it): <c>usage.prompt_tokens</c> already includes the cached
/// tokens of <c>prompt_tokens_details</c>, and <c>completion_tokens</c> already includes the reasoning tokens of
/// <c>completion_tokens_details</c>, so nothing is added. A stream's usage comes in its last chunk
/// (<c>choices: []</c>, with <c>stream_options.include_usage</c>); the chunks before it carry <c>usage: null</c>.
/// </summary>
public sealed class OpenAiChatAdapter : INativeUsageAdapter
{
    public string Format => "openai-chat";

    public NativeUsage? Read(JsonElement response, List<string> problems)
    {
        if (!StreamEvents.TryFinal(response, chunk => StreamEvents.HasObject(chunk, "usage"), "usage", problems, out var final, out var at)
            || !ResponseFields.TryObject(final, at, "usage", required: true, problems, out var usage))
        {
            return null;
        }

        var u = $"{at}.usage";
        var prompt = ResponseFields.Required(usage, u, "prompt_tokens", problems);
        var cached = ResponseFields.Optional(usage, u, "prompt_tokens_details", "cached_tokens", problems);

        // Not OpenAI's own field, but the one OpenAI-compatible gateways (OpenRouter, Azure) put cache writes in.
        var cacheWrite = ResponseFields.Optional(usage, u, "prompt_tokens_details", "cache_write_tokens", problems);
        var completion = ResponseFields.Required(usage, u, "completion_tokens", problems);
        var reasoning = ResponseFields.Optional(usage, u, "completion_tokens_details", "reasoning_tokens", problems);

        return prompt is { } p && completion is { } c
            ? new NativeUsage(p, c, cached, cacheWrite, reasoning, ResponseFields.Model(final, "model"), $"{at}.model")
            : null;
    }
}
