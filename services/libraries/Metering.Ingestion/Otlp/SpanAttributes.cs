using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// The attributes of one span that metering reads, gathered in a single pass over its attribute list (no
/// dictionary, no copies: the values are the parsed ones). The first occurrence of a duplicated key wins.
/// </summary>
internal struct SpanAttributes
{
    public AnyValue? InputTokens;
    public AnyValue? OutputTokens;
    public AnyValue? CacheReadInputTokens;
    public AnyValue? CacheCreationInputTokens;
    public AnyValue? ReasoningOutputTokens;
    public AnyValue? RequestMaxTokens;
    public AnyValue? ProviderName;
    public AnyValue? System;
    public AnyValue? ResponseModel;
    public AnyValue? RequestModel;
    public AnyValue? ResponseId;
    public AnyValue? OperationName;
    public AnyValue? ServerAddress;
    public AnyValue? Tenant;

    /// <summary>
    /// A span is a GenAI call to meter when it reports usage. <c>gen_ai.operation.name</c> alone is not enough: agent
    /// and tool spans carry it too, and a call without counts has nothing to bill.
    /// </summary>
    public readonly bool ReportsUsage => InputTokens is not null || OutputTokens is not null;

    public static SpanAttributes Gather(RepeatedField<KeyValue> attributes, string tenantAttribute)
    {
        var found = default(SpanAttributes);
        foreach (var attribute in attributes)
        {
            var value = attribute.Value;
            switch (attribute.Key)
            {
                case GenAiAttributeNames.InputTokens: found.InputTokens ??= value; break;
                case GenAiAttributeNames.OutputTokens: found.OutputTokens ??= value; break;
                case GenAiAttributeNames.CacheReadInputTokens: found.CacheReadInputTokens ??= value; break;
                case GenAiAttributeNames.CacheCreationInputTokens: found.CacheCreationInputTokens ??= value; break;
                case GenAiAttributeNames.ReasoningOutputTokens: found.ReasoningOutputTokens ??= value; break;
                case GenAiAttributeNames.RequestMaxTokens: found.RequestMaxTokens ??= value; break;
                case GenAiAttributeNames.ProviderName: found.ProviderName ??= value; break;
                case GenAiAttributeNames.System: found.System ??= value; break;
                case GenAiAttributeNames.ResponseModel: found.ResponseModel ??= value; break;
                case GenAiAttributeNames.RequestModel: found.RequestModel ??= value; break;
                case GenAiAttributeNames.ResponseId: found.ResponseId ??= value; break;
                case GenAiAttributeNames.OperationName: found.OperationName ??= value; break;
                case GenAiAttributeNames.ServerAddress: found.ServerAddress ??= value; break;
            }

            if (string.Equals(attribute.Key, tenantAttribute, StringComparison.Ordinal))
            {
                found.Tenant ??= value;
            }
        }

        return found;
    }
}
