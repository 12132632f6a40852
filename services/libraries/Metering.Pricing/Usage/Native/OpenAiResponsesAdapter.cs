using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// OpenAI Responses API: <c>usage.input_tokens</c> includes <c>input_tokens_details.cached_tokens</c> and
/// <c>output_tokens</c> includes <c>output_tokens_details.reasoning_tokens</c>. A stream's usage is in its
/// <c>response.completed</c> event (or <c>response.incomplete</c>/<c>response.failed</c>), whose <c>response</c> is the
/// whole Response object; earlier events carry <c>usage: null</c>.
/// </summary>
public sealed class OpenAiResponsesAdapter : INativeUsageAdapter
{
    public string Format => "openai-responses";

    public NativeUsage? Read(JsonElement response, List<string> problems)
    {
        if (!StreamEvents.TryFinal(response, CarriesUsage, "usage", problems, out var final, out var at))
        {
            return null;
        }

        // A stream event wraps the Response object; a Response object carries usage itself.
        if (!StreamEvents.HasObject(final, "usage") && StreamEvents.HasObject(final, "response"))
        {
            final = final.GetProperty("response");
            at = $"{at}.response";
        }

        if (!ResponseFields.TryObject(final, at, "usage", required: true, problems, out var usage))
        {
            return null;
        }

        var u = $"{at}.usage";
        var prompt = ResponseFields.Required(usage, u, "input_tokens", problems);
        var cached = ResponseFields.Optional(usage, u, "input_tokens_details", "cached_tokens", problems);
        var cacheWrite = ResponseFields.Optional(usage, u, "input_tokens_details", "cache_write_tokens", problems);
        var completion = ResponseFields.Required(usage, u, "output_tokens", problems);
        var reasoning = ResponseFields.Optional(usage, u, "output_tokens_details", "reasoning_tokens", problems);

        return prompt is { } p && completion is { } c
            ? new NativeUsage(p, c, cached, cacheWrite, reasoning, ResponseFields.Model(final, "model"), $"{at}.model")
            : null;
    }

    private static bool CarriesUsage(JsonElement chunk) =>
        StreamEvents.HasObject(chunk, "usage")
        || (chunk.TryGetProperty("response", out var inner) && inner.ValueKind == JsonValueKind.Object && StreamEvents.HasObject(inner, "usage"));
}
