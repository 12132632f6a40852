namespace Metering.Ingestion.Otlp;

/// <summary>
/// The event attributes an OTLP span can fill: a short allow-list, so that reports can split spend by operation,
/// endpoint and environment while no span attribute (prompts, user ids) leaks into the ledger. Three keys, each
/// well inside SPEC §3's limits (16 keys, 64-character keys, 512-character values).
/// </summary>
public static class UsageAttributes
{
    /// <summary>From the span's <c>gen_ai.operation.name</c>: chat, embeddings, text_completion, …</summary>
    public const string Operation = "gen_ai.operation.name";

    /// <summary>From the span's <c>server.address</c>: which endpoint served the call (a gateway, a region).</summary>
    public const string ServerAddress = "server.address";

    /// <summary>From the resource's <c>deployment.environment.name</c>: production, staging, …</summary>
    public const string Environment = "deployment.environment.name";
}
