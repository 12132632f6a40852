using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// Google Gemini (<c>generateContent</c>, AI Studio and Vertex): <c>usageMetadata.promptTokenCount</c> INCLUDES
/// <c>cachedContentTokenCount</c>, but <c>thoughtsTokenCount</c> lies OUTSIDE <c>candidatesTokenCount</c> and
/// <c>toolUsePromptTokenCount</c> outside <c>promptTokenCount</c>, so completion = candidates + thoughts and
/// prompt = prompt + tool-use prompt. <c>streamGenerateContent</c> repeats a cumulative <c>usageMetadata</c> in its
/// chunks; the last one is the whole call. The model is <c>modelVersion</c>.
/// </summary>
public sealed class GeminiAdapter : INativeUsageAdapter
{
    public string Format => "gemini";

    public NativeUsage? Read(JsonElement response, List<string> problems)
    {
        if (!StreamEvents.TryFinal(response, chunk => StreamEvents.HasObject(chunk, "usageMetadata"), "usageMetadata", problems, out var final, out var at)
            || !ResponseFields.TryObject(final, at, "usageMetadata", required: true, problems, out var usage))
        {
            return null;
        }

        var u = $"{at}.usageMetadata";

        // Required although the dataset's extractor is lenient: a call without a prompt count cannot be billed honestly.
        var prompt = ResponseFields.Required(usage, u, "promptTokenCount", problems);
        var toolUsePrompt = ResponseFields.Optional(usage, u, "toolUsePromptTokenCount", problems);
        var cached = ResponseFields.Optional(usage, u, "cachedContentTokenCount", problems);

        // A response with no candidates (blocked, or a stream chunk before the first token) omits the count.
        var candidates = ResponseFields.Optional(usage, u, "candidatesTokenCount", problems);
        var thoughts = ResponseFields.Optional(usage, u, "thoughtsTokenCount", problems);

        return prompt is { } p
            ? new NativeUsage(p + toolUsePrompt, candidates + thoughts, cached, 0, thoughts, ResponseFields.Model(final, "modelVersion"), $"{at}.modelVersion")
            : null;
    }
}
