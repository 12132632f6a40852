namespace Metering.Api.Ingestion;

/// <summary>The ingestion endpoints' limits (section <c>Ingest</c> of the API's settings).</summary>
public sealed class IngestOptions
{
    /// <summary>How long a request waits for RabbitMQ's confirm before it is answered <c>503</c>.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest request body as sent (compressed or not): beyond it, <c>413</c>.</summary>
    public int MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The largest body once decompressed: a gzip bomb stops here with <c>413</c>.</summary>
    public int MaxDecodedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The <c>Retry-After</c> of a <c>503</c>, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>The span or resource attribute that names a span's tenant (SPEC §14).</summary>
    public string TenantAttribute { get; set; } = "tenant.id";
}
