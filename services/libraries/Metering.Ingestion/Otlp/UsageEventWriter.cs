using System.Text.Json;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// Writes one GenAI span as a usage event (SPEC §3). Nothing is validated here: a field that cannot be filled is
/// left out (or, for counts, echoed as a string) and the consumer rejects the event, so a bad span is kept as a
/// rejection with its reason instead of vanishing at the front door.
/// </summary>
internal static class UsageEventWriter
{
    /// <summary>SPEC §3's limit on service and requestId; longer ones are left out rather than reject a billable call.</summary>
    private const int MaxTextLength = 128;

    /// <summary>SPEC §3's limit on attribute values; a longer value is left out for the same reason.</summary>
    private const int MaxAttributeValueLength = 512;

    private static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
    private static readonly JsonEncodedText TenantId = JsonEncodedText.Encode("tenantId");
    private static readonly JsonEncodedText Provider = JsonEncodedText.Encode("provider");
    private static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText PromptTokens = JsonEncodedText.Encode("promptTokens");
    private static readonly JsonEncodedText CompletionTokens = JsonEncodedText.Encode("completionTokens");
    private static readonly JsonEncodedText CachedTokens = JsonEncodedText.Encode("cachedTokens");
    private static readonly JsonEncodedText CacheWriteTokens = JsonEncodedText.Encode("cacheWriteTokens");
    private static readonly JsonEncodedText ReasoningTokens = JsonEncodedText.Encode("reasoningTokens");
    private static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("maxTokens");
    private static readonly JsonEncodedText OccurredAt = JsonEncodedText.Encode("occurredAt");
    private static readonly JsonEncodedText Service = JsonEncodedText.Encode("service");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("requestId");
    private static readonly JsonEncodedText Attributes = JsonEncodedText.Encode("attributes");

    public static void Write(Utf8JsonWriter writer, Span span, in SpanAttributes found, in ResourceAttributes resource)
    {
        writer.WriteStartObject();

        Span<char> eventId = stackalloc char[SpanEventId.Length];
        if (SpanEventId.TryFormat(span.TraceId.Span, span.SpanId.Span, eventId))
        {
            writer.WriteString(EventId, eventId);
        }

        // The span's own tenant wins even when unusable: falling back to the resource's could bill the wrong tenant.
        WriteText(writer, TenantId, found.Tenant ?? resource.Tenant);
        WriteText(writer, Provider, found.ProviderName ?? found.System);
        WriteText(writer, Model, found.ResponseModel ?? found.RequestModel);
        WriteCounts(writer, found);
        WriteStartTime(writer, span.StartTimeUnixNano);
        WriteShortText(writer, Service, resource.ServiceName, MaxTextLength);
        WriteShortText(writer, RequestId, found.ResponseId, MaxTextLength);
        WriteAttributes(writer, found, resource);

        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, in SpanAttributes found)
    {
        WriteCount(writer, PromptTokens, found.InputTokens);
        if (found.OutputTokens is null && AttributeValues.Text(found.OperationName) == GenAiAttributeNames.EmbeddingsOperation)
        {
            writer.WriteNumber(CompletionTokens, 0);
        }
        else
        {
            WriteCount(writer, CompletionTokens, found.OutputTokens);
        }

        WriteCount(writer, CachedTokens, found.CacheReadInputTokens);
        WriteCount(writer, CacheWriteTokens, found.CacheCreationInputTokens);
        WriteCount(writer, ReasoningTokens, found.ReasoningOutputTokens);
        WriteCount(writer, MaxTokens, found.RequestMaxTokens);
    }

    private static void WriteCount(Utf8JsonWriter writer, JsonEncodedText name, AnyValue? value)
    {
        if (value is not null)
        {
            AttributeValues.WriteCount(writer, name, value);
        }
    }

    /// <summary>The span's start, when the call was made; a span without one gets no occurredAt and is rejected.</summary>
    private static void WriteStartTime(Utf8JsonWriter writer, ulong unixNanos)
    {
        if (unixNanos != 0)
        {
            var at = DateTime.UnixEpoch.AddTicks((long)(unixNanos / TimeSpan.NanosecondsPerTick));
            writer.WriteString(OccurredAt, at);
        }
    }

    private static void WriteText(Utf8JsonWriter writer, JsonEncodedText name, AnyValue? value)
    {
        if (AttributeValues.Text(value) is { } text)
        {
            writer.WriteString(name, text);
        }
    }

    private static void WriteShortText(Utf8JsonWriter writer, JsonEncodedText name, AnyValue? value, int maxLength)
    {
        if (AttributeValues.ShortText(value, maxLength) is { } text)
        {
            writer.WriteString(name, text);
        }
    }

    /// <summary>The allow-list of <see cref="UsageAttributes"/>, each only when it is a string that fits SPEC §3.</summary>
    private static void WriteAttributes(Utf8JsonWriter writer, in SpanAttributes found, in ResourceAttributes resource)
    {
        var operation = AttributeValues.ShortText(found.OperationName, MaxAttributeValueLength);
        var server = AttributeValues.ShortText(found.ServerAddress, MaxAttributeValueLength);
        var environment = AttributeValues.ShortText(resource.Environment, MaxAttributeValueLength);
        if (operation is null && server is null && environment is null)
        {
            return;
        }

        writer.WriteStartObject(Attributes);
        WriteIfPresent(writer, UsageAttributes.Operation, operation);
        WriteIfPresent(writer, UsageAttributes.ServerAddress, server);
        WriteIfPresent(writer, UsageAttributes.Environment, environment);
        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
