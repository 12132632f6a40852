using System.Text.Json;
using System.Text.Json.Nodes;

namespace Metering.Api.Ingestion;

/// <summary>
/// CloudEvents 1.0 in structured mode (<c>application/cloudevents+json</c>) and batch mode
/// (<c>application/cloudevents-batch+json</c>) turned into the body the consumer reads: the events' <c>data</c>. The
/// type is <see cref="TokenUsageType"/> (data is a SPEC §3 event, or a native payload with its <c>format</c>) or
/// <c>com.metering.&lt;format&gt;</c> for a native payload of that format (data without <c>format</c>). Data that
/// lacks an <c>eventId</c> or <c>occurredAt</c> takes the CloudEvent's <c>id</c> and <c>time</c>.
/// </summary>
public static class CloudEvents
{
    public const string StructuredMediaType = "application/cloudevents+json";
    public const string BatchMediaType = "application/cloudevents-batch+json";
    public const string TokenUsageType = "com.metering.token-usage";
    private const string NativeTypePrefix = "com.metering.";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>
    /// The events of a structured or batch body as a JSON array of event objects, for the consumer to read. A
    /// CloudEvent that is broken (no type, no data) is named in <paramref name="errors"/> and passed on wrapped as
    /// <c>{"refused": reason, "cloudEvent": …}</c>: an object no reader takes for an event, so the consumer keeps it,
    /// whole, as a rejection. A body that is not JSON at all is passed on as it is, to be kept as malformed.
    /// </summary>
    public static byte[] Unwrap(byte[] body, bool batch, List<ItemError> errors)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: Options);
        }
        catch (JsonException)
        {
            return body;
        }

        var shape = (batch, root) switch
        {
            (true, JsonArray) or (false, JsonObject) => null,
            (true, _) => "a CloudEvents batch must be a JSON array",
            (false, _) => "a structured CloudEvent must be a JSON object",
        };
        List<JsonNode?> items = batch && root is JsonArray array ? [.. array] : [root];
        var events = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var (data, problem) = shape is null ? DataOf(item as JsonObject) : (null, shape);
            if (problem is not null)
            {
                var id = (item as JsonObject)?["id"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
                errors.Add(new ItemError(i, id, null, "invalid", problem));
                data = new JsonObject { ["refused"] = problem, ["cloudEvent"] = item?.DeepClone() };
            }

            events.Add(data);
        }

        return JsonSerializer.SerializeToUtf8Bytes(events);
    }

    private static (JsonNode? Data, string? Problem) DataOf(JsonObject? cloudEvent)
    {
        if (cloudEvent is null)
        {
            return (null, "a CloudEvent must be a JSON object");
        }

        if (Text(cloudEvent, "specversion") != "1.0")
        {
            return (null, "specversion must be \"1.0\"");
        }

        var type = Text(cloudEvent, "type");
        string? format = null;
        if (type != TokenUsageType)
        {
            if (type is null || !type.StartsWith(NativeTypePrefix, StringComparison.Ordinal))
            {
                return (null, $"type must be {TokenUsageType} or {NativeTypePrefix}<format>, got {Problems.Quote(type)}");
            }

            format = type[NativeTypePrefix.Length..];
        }

        if (cloudEvent["data"] is not JsonObject data)
        {
            return (null, "data must be a JSON object: the usage event");
        }

        data = (JsonObject)data.DeepClone();
        if (!data.ContainsKey("eventId") && Text(cloudEvent, "id") is { } id)
        {
            data["eventId"] = id;
        }

        if (!data.ContainsKey("occurredAt") && Text(cloudEvent, "time") is { } time)
        {
            data["occurredAt"] = time;
        }

        if (format is not null && !data.ContainsKey("format"))
        {
            data["format"] = format;
        }

        return (data, null);
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
