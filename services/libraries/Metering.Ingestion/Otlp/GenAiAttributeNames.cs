namespace Metering.Ingestion.Otlp;

/// <summary>The OpenTelemetry GenAI semantic-convention attributes that metering reads.</summary>
public static class GenAiAttributeNames
{
    /// <summary>All input tokens: the semconv says it SHOULD include cached tokens, as SPEC §3's promptTokens does.</summary>
    public const string InputTokens = "gen_ai.usage.input_tokens";

    /// <summary>All output tokens, reasoning tokens among them.</summary>
    public const string OutputTokens = "gen_ai.usage.output_tokens";

    public const string CacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";
    public const string CacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";
    public const string ReasoningOutputTokens = "gen_ai.usage.reasoning.output_tokens";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string ProviderName = "gen_ai.provider.name";

    /// <summary>The provider's name before semconv 1.37 renamed it to <see cref="ProviderName"/>.</summary>
    public const string System = "gen_ai.system";

    public const string ResponseModel = "gen_ai.response.model";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseId = "gen_ai.response.id";
    public const string OperationName = "gen_ai.operation.name";
    public const string ServerAddress = "server.address";
    public const string ServiceName = "service.name";
    public const string DeploymentEnvironmentName = "deployment.environment.name";

    /// <summary>The operation whose spans have no output tokens at all, so a missing output count means zero.</summary>
    public const string EmbeddingsOperation = "embeddings";
}
