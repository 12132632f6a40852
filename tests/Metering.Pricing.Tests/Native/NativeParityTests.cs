using System.Text.Json.Nodes;
using Metering.Pricing.Usage;
using Xunit.Abstractions;

namespace Metering.Pricing.Tests.Native;

/// <summary>
/// SPEC §14 parity: for every payload, our normalised counts equal what the dataset's own <c>extractUsage</c>
/// (<c>@pydantic/genai-prices</c>, under Node) reads from the same response. Its <c>input_tokens</c> is already inclusive
/// of cache reads and writes and its <c>output_tokens</c> of reasoning, so they map one to one onto promptTokens and
/// completionTokens; <c>cache_read_tokens</c>, <c>cache_write_tokens</c> and <c>output_reasoning_tokens</c> onto the rest.
/// </summary>
public sealed class NativeParityTests(ITestOutputHelper output)
{
    /// <summary>Our format → the dataset's provider and API flavour.</summary>
    private static readonly Dictionary<string, (string Provider, string Flavor)> Extractors = new()
    {
        ["openai-chat"] = ("openai", "chat"),
        ["openai-responses"] = ("openai", "responses"),
        ["anthropic-messages"] = ("anthropic", "default"),
        ["deepseek-chat"] = ("deepseek", "chat"),
        ["gemini"] = ("google", "default"),
        ["bedrock-converse"] = ("aws", "default"),
        ["mistral"] = ("mistral", "default"),
    };

    /// <summary>
    /// Where we knowingly differ, and why: DeepSeek's own cache field is <c>prompt_cache_hit_tokens</c>; the dataset's
    /// extractor reads only the OpenAI-style <c>prompt_tokens_details.cached_tokens</c>, so on a response that carries
    /// only DeepSeek's field it sees no cache and would bill the hits at the full input price.
    /// </summary>
    private static readonly Dictionary<string, string> Deviations = new()
    {
        ["deepseek-chat-hit-only.json"] = "cachedTokens",
    };

    [Fact]
    public async Task Every_payload_normalises_as_the_datasets_extractUsage_reads_it()
    {
        var names = NativePayloads.Names;
        var cases = names.Select((name, i) =>
        {
            var envelope = NativePayloads.Envelope(name);
            var (provider, flavor) = Extractors[(string)envelope["format"]!];
            return new JsonObject { ["id"] = i, ["provider"] = provider, ["flavor"] = flavor, ["response"] = ReferenceShape(envelope) }.ToJsonString();
        });

        var reference = await NodeTools.RunAsync("extract-usage.mjs", cases);

        var mismatches = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            var envelope = NativePayloads.Envelope(names[i]);
            var ours = NativePayloads.Read(names[i]).Usage!;
            if (reference[i]["error"] is { } error)
            {
                mismatches.Add($"{names[i]}: extractUsage failed: {error}");
                continue;
            }

            var usage = reference[i]["usage"]!;
            var theirs = new Dictionary<string, object?>
            {
                ["promptTokens"] = Count(usage, "input_tokens"),
                ["cachedTokens"] = Count(usage, "cache_read_tokens"),
                ["cacheWriteTokens"] = Count(usage, "cache_write_tokens"),
                ["completionTokens"] = Count(usage, "output_tokens"),
                ["reasoningTokens"] = Count(usage, "output_reasoning_tokens"),
                ["model"] = (string?)envelope["model"] ?? (string?)reference[i]["model"],
            };
            var mine = new Dictionary<string, object?>
            {
                ["promptTokens"] = ours.PromptTokens,
                ["cachedTokens"] = ours.CachedTokens,
                ["cacheWriteTokens"] = ours.CacheWriteTokens,
                ["completionTokens"] = ours.CompletionTokens,
                ["reasoningTokens"] = ours.ReasoningTokens,
                ["model"] = ours.Model,
            };
            var differing = mine.Keys.Where(k => !Equals(mine[k], theirs[k])).ToList();
            var expected = Deviations.TryGetValue(names[i], out var deviation) ? [deviation] : new List<string>();
            if (!differing.SequenceEqual(expected))
            {
                mismatches.Add($"{names[i]}: {string.Join(", ", differing.Select(k => $"{k} ours {mine[k]}, extractUsage {theirs[k]}"))} (known deviations: {string.Join(", ", expected)})");
            }
        }

        output.WriteLine($"parity: {names.Count} payloads compared with extractUsage, {Deviations.Count} known deviation(s), {mismatches.Count} mismatches");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Theory]
    [InlineData("openai-chat.json", "prompt_tokens", null)]
    [InlineData("openai-responses.json", "output_tokens", null)]
    [InlineData("anthropic-messages.json", "input_tokens", "\"2095\"")]
    [InlineData("bedrock-converse.json", "outputTokens", "-3")]
    [InlineData("deepseek-chat.json", "completion_tokens", "null")]
    [InlineData("mistral.json", "prompt_tokens", "\"16\"")]
    public async Task Responses_the_dataset_refuses_are_rejected_too(string file, string field, string? value)
    {
        var envelope = NativePayloads.Envelope(file);
        var usage = envelope["response"]!["usage"]!.AsObject();
        if (value is null)
        {
            usage.Remove(field);
        }
        else
        {
            usage[field] = JsonNode.Parse(value);
        }

        var (provider, flavor) = Extractors[(string)envelope["format"]!];
        var reference = await NodeTools.RunAsync(
            "extract-usage.mjs",
            [new JsonObject { ["id"] = 0, ["provider"] = provider, ["flavor"] = flavor, ["response"] = envelope["response"]!.DeepClone() }.ToJsonString()]);

        Assert.NotNull(reference[0]["error"]);
        Assert.Equal(RejectionCodes.Invalid, NativePayloads.Read(envelope).Rejection?.Code);
    }

    private static long Count(JsonNode usage, string key) => usage[key] is { } value ? (long)value : 0;

    /// <summary>
    /// What <c>extractUsage</c> is given. It reads one response object and knows no streams, so for a stream (an array,
    /// or a wrapping event) it gets the object our streaming rule reads: the last chunk that carries usage, unwrapped
    /// from an OpenAI <c>response.completed</c> or Bedrock <c>metadata</c> event. For an Anthropic stream it gets the
    /// message the stream amounts to: <c>message_start</c>'s message with the last <c>message_delta</c>'s usage laid
    /// over its usage. That comparison checks the field mapping, not our choice of chunk, which the adapter tests pin
    /// down with hand-worked counts.
    /// </summary>
    private static JsonNode ReferenceShape(JsonObject envelope)
    {
        var response = envelope["response"]!;
        var format = (string)envelope["format"]!;
        if (format == "anthropic-messages")
        {
            return AnthropicReference(response);
        }

        var usageKey = format == "gemini" ? "usageMetadata" : "usage";
        var wrapper = format switch { "openai-responses" => "response", "bedrock-converse" => "metadata", _ => null };
        var final = response is JsonArray chunks
            ? chunks.Last(c => c![usageKey] is JsonObject || (wrapper is not null && c![wrapper]?[usageKey] is JsonObject))!
            : response;
        return (wrapper is not null && final[usageKey] is null ? final[wrapper]! : final).DeepClone();
    }

    private static JsonNode AnthropicReference(JsonNode response)
    {
        if (response is JsonObject one)
        {
            return ((string?)one["type"] == "message_start" ? one["message"]! : one).DeepClone();
        }

        var events = response.AsArray();
        var message = events.First(e => (string?)e!["type"] == "message_start")!["message"]!.DeepClone().AsObject();
        var delta = events.LastOrDefault(e => (string?)e!["type"] == "message_delta" && e!["usage"] is JsonObject)?["usage"]!.AsObject();
        foreach (var (key, value) in delta ?? [])
        {
            if (value is not null)
            {
                message["usage"]![key] = value.DeepClone();
            }
        }

        return message;
    }
}
