using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// Anthropic Messages: <c>usage.input_tokens</c> EXCLUDES the cache, so the prompt is <c>input_tokens +
/// cache_read_input_tokens + cache_creation_input_tokens</c>; <c>output_tokens</c> includes thinking.
/// <para>
/// Streams split the usage: <c>message_start</c> carries <c>message.usage</c> (the input side, and an output count of
/// one or so), each <c>message_delta</c> carries a cumulative <c>usage</c> (the output so far, and in newer API
/// versions the input side again). So an array of events is read as the <c>message_start</c> usage with the last
/// <c>message_delta</c> usage laid over it, field by field. A single <c>message_delta</c> is accepted only when it
/// holds <c>input_tokens</c> itself; a single <c>message_start</c> is read as its message.
/// </para>
/// </summary>
public sealed class AnthropicMessagesAdapter : INativeUsageAdapter
{
    private const string MessageStart = "message_start";
    private const string MessageDelta = "message_delta";

    public string Format => "anthropic-messages";

    public NativeUsage? Read(JsonElement response, List<string> problems)
    {
        var source = response.ValueKind switch
        {
            JsonValueKind.Object => FromOne(response, "response", problems),
            JsonValueKind.Array => FromStream(response, problems),
            _ => Refuse(problems, $"response must be an object (a message or a stream event) or an array of stream events, got {UsageReader.KindName(response.ValueKind)}"),
        };

        return source is { } s ? ReadUsage(s, problems) : null;
    }

    private static AnthropicUsageSource? FromOne(JsonElement response, string at, List<string> problems)
    {
        if (TypeOf(response) == MessageStart)
        {
            return ResponseFields.TryObject(response, at, "message", required: true, problems, out var message)
                && ResponseFields.TryObject(message, $"{at}.message", "usage", required: true, problems, out var startUsage)
                ? new AnthropicUsageSource(message, $"{at}.message", startUsage, $"{at}.message.usage", Delta: null, DeltaAt: null)
                : null;
        }

        if (!ResponseFields.TryObject(response, at, "usage", required: true, problems, out var usage))
        {
            return null;
        }

        if (TypeOf(response) == MessageDelta && !ResponseFields.Has(usage, "input_tokens"))
        {
            return Refuse(problems, $"{at}.usage.input_tokens is required: a message_delta that does not repeat the input side needs its message_start, so send the stream's events as an array from message_start to the last message_delta");
        }

        return new AnthropicUsageSource(response, at, usage, $"{at}.usage", Delta: null, DeltaAt: null);
    }

    private static AnthropicUsageSource? FromStream(JsonElement events, List<string> problems)
    {
        int? start = null, delta = null;
        for (var i = 0; i < events.GetArrayLength(); i++)
        {
            var type = TypeOf(events[i]);
            if (type == MessageStart && start is null)
            {
                start = i;
            }
            else if (type == MessageDelta && events[i].TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                delta = i;
            }
        }

        if (start is not { } s)
        {
            return delta is { } only
                ? FromOne(events[only], $"response[{only}]", problems)
                : Refuse(problems, "response holds no message_start event and no message_delta event with usage");
        }

        var at = $"response[{s}]";
        if (!ResponseFields.TryObject(events[s], at, "message", required: true, problems, out var message)
            || !ResponseFields.TryObject(message, $"{at}.message", "usage", required: true, problems, out var startUsage))
        {
            return null;
        }

        return new AnthropicUsageSource(
            message,
            $"{at}.message",
            startUsage,
            $"{at}.message.usage",
            delta is { } d ? events[d].GetProperty("usage") : null,
            delta is { } e ? $"response[{e}].usage" : null);
    }

    private static NativeUsage? ReadUsage(AnthropicUsageSource source, List<string> problems)
    {
        var (input, inputAt) = source.Field("input_tokens");
        var (cacheRead, cacheReadAt) = source.Field("cache_read_input_tokens");
        var (cacheWrite, cacheWriteAt) = source.Field("cache_creation_input_tokens");
        var (output, outputAt) = source.Field("output_tokens");
        var (details, detailsAt) = source.Field("output_tokens_details");

        var prompt = ResponseFields.Required(input, inputAt, "input_tokens", problems);
        var read = ResponseFields.Optional(cacheRead, cacheReadAt, "cache_read_input_tokens", problems);
        var write = ResponseFields.Optional(cacheWrite, cacheWriteAt, "cache_creation_input_tokens", problems);
        var completion = ResponseFields.Required(output, outputAt, "output_tokens", problems);
        var thinking = ResponseFields.Optional(details, detailsAt, "output_tokens_details", "thinking_tokens", problems);

        return prompt is { } p && completion is { } c
            ? new NativeUsage(p + read + write, c, read, write, thinking, ResponseFields.Model(source.Message, "model"), $"{source.At}.model")
            : null;
    }

    private static string? TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    private static AnthropicUsageSource? Refuse(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }
}
