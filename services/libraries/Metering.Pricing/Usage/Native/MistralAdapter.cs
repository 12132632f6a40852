using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// Mistral chat completions: OpenAI's chat shape (<c>usage.prompt_tokens</c> includes
/// <c>prompt_tokens_details.cached_tokens</c>, <c>completion_tokens</c> includes reasoning). Mistral reports no cache
/// writes, so none are read. A stream's last chunk carries the usage.
/// </summary>
public sealed class MistralAdapter : INativeUsageAdapter
{
    public string Format => "mistral";

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
        var completion = ResponseFields.Required(usage, u, "completion_tokens", problems);
        var reasoning = ResponseFields.Optional(usage, u, "completion_tokens_details", "reasoning_tokens", problems);

        return prompt is { } p && completion is { } c
            ? new NativeUsage(p, c, cached, 0, reasoning, ResponseFields.Model(final, "model"), $"{at}.model")
            : null;
    }
}
