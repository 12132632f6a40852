namespace Metering.Ingestion.Otlp;

/// <summary>How trace exports are turned into usage events.</summary>
public sealed record OtlpReadOptions
{
    /// <summary>The options used when none are given: the tenant in <c>tenant.id</c>.</summary>
    public static OtlpReadOptions Default { get; } = new();

    /// <summary>
    /// The attribute that names the tenant: looked up on the span first, then on its resource, so one service can
    /// bill a tenant per call or a single tenant for everything it exports.
    /// </summary>
    public string TenantAttribute { get; init; } = "tenant.id";
}
