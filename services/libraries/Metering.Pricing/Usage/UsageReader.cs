using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Metering.Contracts;

namespace Metering.Pricing.Usage;

/// <summary>
/// Reads usage events from raw JSON and checks every rule of the event contract (SPEC §3). Never throws on bad
/// input: each event comes back either valid or rejected with a code and a message naming the field and the rule.
/// </summary>
public static partial class UsageReader
{
    public const int MaxEventsPerMessage = 1_000;
    public const long MaxCount = 100_000_000;
    public const int MaxEventIdLength = 128;
    public const int MaxTenantIdLength = TenantIds.MaxLength;
    public const int MaxTextLength = 128;
    public const int MaxAttributes = 16;
    public const int MaxAttributeKeyLength = 64;
    public const int MaxAttributeValueLength = 512;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 64,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Reads a RabbitMQ message body: one event object, or an array of up to 1,000 of them.</summary>
    public static IReadOnlyList<UsageRead> ReadMessage(ReadOnlyMemory<byte> body)
    {
        if (!TryParse(body, out var document, out var malformed))
        {
            return [malformed];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return [ReadEvent(root, body)];
            }

            var count = root.GetArrayLength();
            if (count > MaxEventsPerMessage)
            {
                return [UsageRead.Rejected(
                    new Rejection(RejectionCodes.Invalid, $"a message holds at most {MaxEventsPerMessage:N0} events; this one holds {count:N0}"),
                    body)];
            }

            var reads = new UsageRead[count];
            var parsed = WithoutBom(body);
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                reads[i++] = ReadEvent(element, SliceOf(parsed, element));
            }

            return reads;
        }
    }

    /// <summary>Reads exactly one event object (a line of the offline pricer's input).</summary>
    public static UsageRead ReadEvent(ReadOnlyMemory<byte> json)
    {
        if (!TryParse(json, out var document, out var malformed))
        {
            return malformed;
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? UsageRead.Rejected(new Rejection(RejectionCodes.Invalid, "expected one event object, got an array"), json)
                : ReadEvent(document.RootElement, json);
        }
    }

    private static bool TryParse(ReadOnlyMemory<byte> body, out JsonDocument document, out UsageRead malformed)
    {
        var utf8 = WithoutBom(body);

        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
            malformed = null!;
            return true;
        }
        catch (InvalidOperationException e)
        {
            // Raised while comparing property names that hold an escaped lone surrogate.
            document = null!;
            malformed = UsageRead.Rejected(new Rejection(RejectionCodes.Malformed, $"not valid JSON text: {e.Message}"), body);
            return false;
        }
        catch (JsonException e)
        {
            document = null!;
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : string.Empty;
            var reason = utf8.IsEmpty ? "the body is empty" : $"not valid JSON{where}: {FirstSentence(e.Message)}";
            malformed = UsageRead.Rejected(new Rejection(RejectionCodes.Malformed, reason), body);
            return false;
        }
    }

    /// <param name="raw">The bytes the element was read from, kept with the result in case it is rejected.</param>
    private static UsageRead ReadEvent(JsonElement element, ReadOnlyMemory<byte> raw)
    {
        try
        {
            return ReadFields(element, raw);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            // A reader that throws on bad input would stall the queue; whatever slipped past the rules is still rejected.
            return UsageRead.Rejected(new Rejection(RejectionCodes.Invalid, $"the event could not be read: {e.Message}"), raw);
        }
    }

    private static UsageRead ReadFields(JsonElement element, ReadOnlyMemory<byte> raw)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return UsageRead.Rejected(
                new Rejection(RejectionCodes.Invalid, $"an event must be a JSON object, got {KindName(element.ValueKind)}"),
                raw);
        }

        var problems = new List<string>(0);
        var eventId = ReadText(element, "eventId", required: true, MaxEventIdLength, problems);
        var tenantId = ReadText(element, "tenantId", required: true, MaxTenantIdLength, problems);
        if (tenantId is not null && !TenantIds.IsValid(tenantId))
        {
            problems.Add("tenantId must contain only letters, digits, '.', '_' and '-'");
        }

        var provider = ReadText(element, "provider", required: true, maxLength: null, problems);
        string? model;
        long? prompt, completion, cached, cacheWrite, reasoning;
        var origin = string.Empty;
        // A null format means none, as a null means absent for every other field: a plain §3 event.
        if (element.TryGetProperty("format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            var native = ReadNative(element, format, problems);
            (model, prompt, completion, cached, cacheWrite, reasoning) =
                (native?.Model, native?.PromptTokens, native?.CompletionTokens, native?.CachedTokens, native?.CacheWriteTokens, native?.ReasoningTokens);
            origin = " (as normalised from response)";
        }
        else
        {
            model = ReadText(element, "model", required: true, maxLength: null, problems);
            prompt = ReadCount(element, "promptTokens", required: true, problems);
            completion = ReadCount(element, "completionTokens", required: true, problems);
            cached = ReadCount(element, "cachedTokens", required: false, problems);
            cacheWrite = ReadCount(element, "cacheWriteTokens", required: false, problems);
            reasoning = ReadCount(element, "reasoningTokens", required: false, problems);
        }

        var maxTokens = ReadCount(element, "maxTokens", required: false, problems);
        var occurredAt = ReadTimestamp(element, "occurredAt", problems);
        var service = ReadText(element, "service", required: false, MaxTextLength, problems);
        var requestId = ReadText(element, "requestId", required: false, MaxTextLength, problems);
        var attributes = ReadAttributes(element, problems);

        if (prompt is { } p && (cached ?? 0) + (cacheWrite ?? 0) > p)
        {
            problems.Add($"cachedTokens + cacheWriteTokens ({(cached ?? 0) + (cacheWrite ?? 0)}) must not exceed promptTokens ({p}){origin}");
        }

        if (completion is { } c && reasoning > c)
        {
            problems.Add($"reasoningTokens ({reasoning}) are part of completionTokens and must not exceed them ({c}){origin}");
        }

        if (problems.Count > 0)
        {
            return UsageRead.Rejected(
                new Rejection(RejectionCodes.Invalid, string.Join("; ", problems)),
                raw,
                eventId ?? SalvageText(element, "eventId"),
                tenantId ?? SalvageText(element, "tenantId"));
        }

        return UsageRead.Valid(raw, new TokenUsage
        {
            EventId = eventId!,
            TenantId = tenantId!,
            Provider = provider!,
            Model = model!,
            PromptTokens = prompt!.Value,
            CompletionTokens = completion!.Value,
            CachedTokens = cached ?? 0,
            CacheWriteTokens = cacheWrite ?? 0,
            MaxTokens = maxTokens,
            ReasoningTokens = reasoning ?? 0,
            OccurredAt = occurredAt!.Value,
            Service = service,
            RequestId = requestId,
            Attributes = attributes,
        });
    }

    private static string? ReadText(JsonElement element, string name, bool required, int? maxLength, List<string> problems)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{name} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{name} must be a string, got {KindName(value.ValueKind)}");
            return null;
        }

        if (!TryGetWellFormed(value, out var text))
        {
            problems.Add($"{name} must be well-formed Unicode without NUL characters");
            return null;
        }

        if (required && text.Length == 0)
        {
            problems.Add($"{name} must not be empty");
            return null;
        }

        if (text.Length > maxLength)
        {
            problems.Add($"{name} must be at most {maxLength} characters, got {text.Length}");
            return null;
        }

        return text;
    }

    private static long? ReadCount(JsonElement element, string name, bool required, List<string> problems)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{name} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            problems.Add($"{name} must be an integer, got {KindName(value.ValueKind)}");
            return null;
        }

        if (!JsonCounts.TryGetInteger(value, out var count))
        {
            problems.Add($"{name} must be an integer from 0 to {MaxCount}, got {Shorten(value.GetRawText())}");
            return null;
        }

        if (count is < 0 or > MaxCount)
        {
            problems.Add($"{name} must be an integer from 0 to {MaxCount}, got {count}");
            return null;
        }

        return count;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement element, string name, List<string> problems)
    {
        var text = ReadText(element, name, required: true, maxLength: 64, problems);
        if (text is null)
        {
            return null;
        }

        if (!HasOffset(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            problems.Add($"{name} must be an ISO-8601 timestamp with an offset, like 2026-11-29T12:00:00Z, got '{Shorten(text)}'");
            return null;
        }

        return at;
    }

    /// <summary>An ISO-8601 date-time with a time zone designator: yyyy-MM-ddTHH:mm[:ss[.fff]](Z|±hh:mm).</summary>
    private static bool HasOffset(string text)
    {
        var t = text.IndexOfAny(['T', 't']);
        if (t != 10 || text.Length < 17)
        {
            return false;
        }

        var zone = text.AsSpan(t + 1);
        if (zone[^1] is 'Z' or 'z')
        {
            return true;
        }

        var sign = zone.LastIndexOfAny('+', '-');
        return sign > 0 && zone.Length - sign is 6 or 5 or 3;
    }

    private static Dictionary<string, string>? ReadAttributes(JsonElement element, List<string> problems)
    {
        if (!element.TryGetProperty("attributes", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"attributes must be an object of string values, got {KindName(value.ValueKind)}");
            return null;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!TryGetWellFormedName(property, out var key))
            {
                problems.Add("attributes must be well-formed Unicode without NUL characters");
                return null;
            }

            if (key.Length is 0 or > MaxAttributeKeyLength)
            {
                problems.Add($"attribute keys must be 1 to {MaxAttributeKeyLength} characters, got {key.Length}: \"{Shorten(key)}\"");
                return null;
            }

            if (attributes.Count == MaxAttributes)
            {
                problems.Add($"attributes must have at most {MaxAttributes} keys");
                return null;
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"attributes.{Shorten(key)} must be a string, got {KindName(property.Value.ValueKind)}");
                return null;
            }

            if (!TryGetWellFormed(property.Value, out var text))
            {
                problems.Add("attributes must be well-formed Unicode without NUL characters");
                return null;
            }

            if (text.Length > MaxAttributeValueLength)
            {
                problems.Add($"attributes.{Shorten(key)} must be at most {MaxAttributeValueLength} characters, got {text.Length}");
                return null;
            }

            attributes[key] = text;
        }

        return attributes;
    }

    /// <summary>The string value, unless it holds NUL or an escaped lone surrogate (which <see cref="JsonElement.GetString"/> refuses).</summary>
    internal static bool TryGetWellFormed(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return WellFormedText.Is(text);
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static bool TryGetWellFormedName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return WellFormedText.Is(name);
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }

    /// <summary>An identity for the rejected-events table even when the field broke a rule (too long, say).</summary>
    private static string? SalvageText(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && TryGetWellFormed(value, out var text)
            ? Shorten(text, MaxEventIdLength)
            : null;

    /// <summary>
    /// The element's bytes as a slice of the body it was parsed from, not a copy: a JSON document parsed from memory
    /// reads that memory in place, so the element's raw value lies inside it.
    /// </summary>
    private static ReadOnlyMemory<byte> SliceOf(ReadOnlyMemory<byte> body, JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(body.Span), ref MemoryMarshal.GetReference(raw));
        return offset >= 0 && offset + raw.Length <= body.Length ? body.Slice((int)offset, raw.Length) : raw.ToArray();
    }

    /// <summary>The body without a UTF-8 byte order mark: what is parsed.</summary>
    private static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> body) => body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;

    internal static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static string Shorten(string text, int max = 40) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
