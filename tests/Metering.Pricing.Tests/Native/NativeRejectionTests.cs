using System.Text;
using System.Text.Json.Nodes;
using Metering.Pricing.Usage;

namespace Metering.Pricing.Tests.Native;

/// <summary>
/// SPEC §14 and §7: a native envelope that cannot be normalised is rejected as <c>invalid</c> with a message naming the
/// field by its path in what the producer sent, keeps its raw bytes and its identity, and never throws.
/// </summary>
public sealed class NativeRejectionTests
{
    /// <summary>A payload with one part replaced (a null value removes it), then read.</summary>
    private static UsageRead ReadChanged(string file, Action<JsonObject> change)
    {
        var envelope = NativePayloads.Envelope(file);
        change(envelope);
        return NativePayloads.Read(envelope);
    }

    private static void AssertRejected(UsageRead read, string message)
    {
        Assert.False(read.IsValid);
        Assert.Equal(RejectionCodes.Invalid, read.Rejection!.Code);
        Assert.Contains(message, read.Rejection.Message, StringComparison.Ordinal);
    }

    private static JsonObject Usage(JsonObject envelope) => envelope["response"]!["usage"]!.AsObject();

    [Fact]
    public void An_unknown_format_is_rejected_naming_the_formats_there_are()
    {
        var read = ReadChanged("openai-chat.json", e => e["format"] = "openai-completions");

        AssertRejected(read, "format must be one of openai-chat, openai-responses, anthropic-messages, deepseek-chat, gemini, bedrock-converse, mistral, got 'openai-completions'");
        Assert.Equal(("native-openai-chat-1", "acme"), (read.EventId, read.TenantId));
    }

    [Fact]
    public void A_format_that_is_not_a_string_is_rejected() =>
        AssertRejected(ReadChanged("openai-chat.json", e => e["format"] = 7), "format must be a string naming one of openai-chat");

    [Fact]
    public void A_missing_response_is_rejected() =>
        AssertRejected(ReadChanged("mistral.json", e => e.Remove("response")), "response is required with format 'mistral'");

    [Fact]
    public void A_response_that_is_neither_object_nor_array_is_rejected() =>
        AssertRejected(ReadChanged("gemini.json", e => e["response"] = "ok"), "response must be an object (the provider's response or the final chunk of its stream) or an array of stream chunks, got a string");

    [Theory]
    [InlineData("openai-chat.json", "response.usage is required")]
    [InlineData("deepseek-chat.json", "response.usage is required")]
    [InlineData("mistral.json", "response.usage is required")]
    [InlineData("openai-responses.json", "response.usage is required")]
    [InlineData("anthropic-messages.json", "response.usage is required")]
    [InlineData("bedrock-converse.json", "response.usage is required")]
    public void A_response_without_usage_is_rejected(string file, string message) =>
        AssertRejected(ReadChanged(file, e => e["response"]!.AsObject().Remove("usage")), message);

    [Fact]
    public void A_gemini_response_without_usage_metadata_is_rejected() =>
        AssertRejected(ReadChanged("gemini.json", e => e["response"]!.AsObject().Remove("usageMetadata")), "response.usageMetadata is required");

    [Theory]
    [InlineData("openai-chat.json", "prompt_tokens")]
    [InlineData("openai-chat.json", "completion_tokens")]
    [InlineData("openai-responses.json", "input_tokens")]
    [InlineData("openai-responses.json", "output_tokens")]
    [InlineData("anthropic-messages.json", "input_tokens")]
    [InlineData("anthropic-messages.json", "output_tokens")]
    [InlineData("deepseek-chat.json", "prompt_tokens")]
    [InlineData("bedrock-converse.json", "inputTokens")]
    [InlineData("bedrock-converse.json", "outputTokens")]
    [InlineData("mistral.json", "completion_tokens")]
    public void A_missing_required_count_is_rejected_naming_its_path(string file, string field) =>
        AssertRejected(ReadChanged(file, e => Usage(e).Remove(field)), $"response.usage.{field} is required");

    [Fact]
    public void A_gemini_response_without_a_prompt_count_is_rejected() =>
        AssertRejected(
            ReadChanged("gemini.json", e => e["response"]!["usageMetadata"]!.AsObject().Remove("promptTokenCount")),
            "response.usageMetadata.promptTokenCount is required");

    [Theory]
    [InlineData("\"2006\"", "response.usage.prompt_tokens must be an integer, got a string")]
    [InlineData("-5", "response.usage.prompt_tokens must be an integer from 0 to 100000000, got -5")]
    [InlineData("12.5", "response.usage.prompt_tokens must be an integer from 0 to 100000000, got 12.5")]
    [InlineData("100000001", "response.usage.prompt_tokens must be an integer from 0 to 100000000, got 100000001")]
    [InlineData("true", "response.usage.prompt_tokens must be an integer, got a boolean")]
    public void An_ill_typed_or_out_of_range_count_is_rejected(string value, string message) =>
        AssertRejected(ReadChanged("openai-chat.json", e => Usage(e)["prompt_tokens"] = JsonNode.Parse(value)), message);

    [Fact]
    public void An_ill_typed_details_object_is_rejected_not_ignored() =>
        AssertRejected(ReadChanged("openai-chat.json", e => Usage(e)["prompt_tokens_details"] = 1920), "response.usage.prompt_tokens_details must be an object, got a number");

    [Fact]
    public void An_ill_typed_optional_count_is_rejected() =>
        AssertRejected(ReadChanged("anthropic-messages-cache.json", e => Usage(e)["cache_read_input_tokens"] = "lots"), "response.usage.cache_read_input_tokens must be an integer, got a string");

    [Fact]
    public void A_stream_chunk_is_named_by_its_index() =>
        AssertRejected(
            ReadChanged("openai-chat-stream.json", e => e["response"]![4]!["usage"]!["completion_tokens"] = "3"),
            "response[4].usage.completion_tokens must be an integer, got a string");

    [Fact]
    public void Cache_reads_above_the_prompt_break_the_usage_rule() =>
        AssertRejected(
            ReadChanged("openai-chat.json", e => Usage(e)["prompt_tokens_details"]!["cached_tokens"] = 3000),
            "cachedTokens + cacheWriteTokens (3000) must not exceed promptTokens (2006) (as normalised from response)");

    [Fact]
    public void Reasoning_above_the_completion_breaks_the_usage_rule() =>
        AssertRejected(
            ReadChanged("openai-chat-reasoning.json", e => Usage(e)["completion_tokens_details"]!["reasoning_tokens"] = 2000),
            "reasoningTokens (2000) are part of completionTokens and must not exceed them (1186) (as normalised from response)");

    [Fact]
    public void A_normalised_prompt_above_the_count_limit_is_rejected_though_each_part_is_within_it() =>
        AssertRejected(
            ReadChanged("anthropic-messages-cache.json", e =>
            {
                Usage(e)["input_tokens"] = 60_000_000;
                Usage(e)["cache_read_input_tokens"] = 60_000_000;
            }),
            "promptTokens as normalised from the anthropic-messages response must be at most 100000000, got 120001536");

    [Fact]
    public void Bedrock_needs_the_model_in_the_envelope() =>
        AssertRejected(ReadChanged("bedrock-converse.json", e => e.Remove("model")), "model is required: a bedrock-converse response names no model, so the envelope must");

    [Fact]
    public void A_response_without_a_model_needs_one_in_the_envelope() =>
        AssertRejected(ReadChanged("gemini.json", e => e["response"]!.AsObject().Remove("modelVersion")), "model is required: the envelope has none and response.modelVersion names none");

    [Fact]
    public void A_lone_anthropic_message_delta_without_the_input_side_is_rejected()
    {
        var read = ReadChanged("anthropic-messages-stream-delta-full.json", e =>
        {
            Usage(e).Remove("input_tokens");
            Usage(e).Remove("cache_read_input_tokens");
        });

        AssertRejected(read, "response.usage.input_tokens is required: a message_delta that does not repeat the input side needs its message_start");
    }

    [Fact]
    public void An_anthropic_stream_without_message_start_or_usage_is_rejected() =>
        AssertRejected(
            ReadChanged("anthropic-messages-stream.json", e => e["response"] = new JsonArray(new JsonObject { ["type"] = "ping" })),
            "response holds no message_start event and no message_delta event with usage");

    [Fact]
    public void An_empty_stream_is_rejected() =>
        AssertRejected(ReadChanged("openai-chat-stream.json", e => e["response"] = new JsonArray()), "response must not be an empty array of stream chunks");

    [Fact]
    public void A_stream_that_never_reports_usage_is_rejected() =>
        AssertRejected(
            ReadChanged("openai-chat-stream.json", e => e["response"]!.AsArray().RemoveAt(4)),
            "response holds 4 stream chunks and none carries usage");

    [Theory]
    [InlineData("eventId", "eventId is required")]
    [InlineData("occurredAt", "occurredAt is required")]
    [InlineData("provider", "provider is required")]
    public void The_envelope_keeps_the_usage_event_rules(string field, string message) =>
        AssertRejected(ReadChanged("openai-responses.json", e => e.Remove(field)), message);

    [Fact]
    public void Envelope_attributes_and_texts_keep_their_limits()
    {
        var attributes = new JsonObject();
        for (var i = 0; i < 17; i++)
        {
            attributes[$"k{i}"] = "v";
        }

        AssertRejected(ReadChanged("gemini.json", e => e["attributes"] = attributes), "attributes must have at most 16 keys");
        AssertRejected(ReadChanged("gemini.json", e => e["service"] = new string('s', 129)), "service must be at most 128 characters, got 129");
        AssertRejected(ReadChanged("gemini.json", e => e["tenantId"] = "a b"), "tenantId must contain only letters, digits");
    }

    [Fact]
    public void A_rejected_envelope_keeps_its_raw_bytes_and_identity()
    {
        var envelope = NativePayloads.Envelope("deepseek-chat.json");
        Usage(envelope).Remove("prompt_tokens");
        var bytes = Encoding.UTF8.GetBytes(envelope.ToJsonString());

        var read = UsageReader.ReadEvent(bytes);

        Assert.Equal(bytes, read.Raw.ToArray());
        Assert.Equal(("native-deepseek-1", "acme"), (read.EventId, read.TenantId));
    }

    /// <summary>Every number of every payload's response replaced by every wrong kind of value: read, never thrown.</summary>
    [Fact]
    public void No_damaged_response_makes_the_reader_throw()
    {
        JsonNode?[] wrong = [null, "7", -1, 1e20, 0.5, true, new JsonObject(), new JsonArray()];
        var reads = 0;
        foreach (var file in NativePayloads.Names)
        {
            var paths = Numbers(NativePayloads.Envelope(file)["response"]!).ToList();
            foreach (var path in paths)
            {
                foreach (var value in wrong)
                {
                    var envelope = NativePayloads.Envelope(file);
                    Replace(envelope["response"]!, path, value?.DeepClone());
                    var read = NativePayloads.Read(envelope);
                    Assert.True(read.IsValid || read.Rejection!.Code == RejectionCodes.Invalid, $"{file} {string.Join('.', path)}: {read.Rejection?.Code}");
                    reads++;
                }
            }
        }

        Assert.True(reads > 500, $"only {reads} damaged responses were read");
    }

    private static IEnumerable<List<object>> Numbers(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    foreach (var path in child is null ? [] : Numbers(child))
                    {
                        path.Insert(0, key);
                        yield return path;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var path in a[i] is null ? [] : Numbers(a[i]!))
                    {
                        path.Insert(0, i);
                        yield return path;
                    }
                }

                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                yield return [];
                break;
        }
    }

    private static void Replace(JsonNode root, List<object> path, JsonNode? value)
    {
        var parent = root;
        foreach (var step in path[..^1])
        {
            parent = step is int i ? parent[i]! : parent[(string)step]!;
        }

        if (path[^1] is int index)
        {
            parent[index] = value;
        }
        else
        {
            parent[(string)path[^1]] = value;
        }
    }
}
