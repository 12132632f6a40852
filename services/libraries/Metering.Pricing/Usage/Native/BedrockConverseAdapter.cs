using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// Amazon Bedrock Converse: <c>usage.inputTokens</c> EXCLUDES the cache, so the prompt is
/// <c>inputTokens + cacheReadInputTokens + cacheWriteInputTokens</c>. The response names no model (it is in the request
/// URL), so the envelope must. ConverseStream reports usage in its <c>metadata</c> event
/// (<c>{"metadata": {"usage": …, "metrics": …}}</c>). Bedrock reports no reasoning tokens separately.
/// </summary>
public sealed class BedrockConverseAdapter : INativeUsageAdapter
{
    public string Format => "bedrock-converse";

    public NativeUsage? Read(JsonElement response, List<string> problems)
    {
        if (!StreamEvents.TryFinal(response, CarriesUsage, "usage", problems, out var final, out var at))
        {
            return null;
        }

        if (!StreamEvents.HasObject(final, "usage") && StreamEvents.HasObject(final, "metadata"))
        {
            final = final.GetProperty("metadata");
            at = $"{at}.metadata";
        }

        if (!ResponseFields.TryObject(final, at, "usage", required: true, problems, out var usage))
        {
            return null;
        }

        var u = $"{at}.usage";
        var input = ResponseFields.Required(usage, u, "inputTokens", problems);
        var cacheRead = ResponseFields.Optional(usage, u, "cacheReadInputTokens", problems);
        var cacheWrite = ResponseFields.Optional(usage, u, "cacheWriteInputTokens", problems);
        var output = ResponseFields.Required(usage, u, "outputTokens", problems);

        return input is { } i && output is { } o
            ? new NativeUsage(i + cacheRead + cacheWrite, o, cacheRead, cacheWrite, 0, Model: null, ModelField: null)
            : null;
    }

    private static bool CarriesUsage(JsonElement chunk) =>
        StreamEvents.HasObject(chunk, "usage")
        || (chunk.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && StreamEvents.HasObject(metadata, "usage"));
}
