namespace Metering.Ledger.Model;

/// <summary>An API key. Only the SHA-256 of the key is stored; the key itself is shown once, when it is created.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public ApiRole Role { get; set; }

    /// <summary>The tenant a <see cref="ApiRole.Tenant"/> key may read, or an <see cref="ApiRole.Ingest"/> key may write (none: every tenant).</summary>
    public string? TenantId { get; set; }

    public required byte[] KeyHash { get; set; }

    /// <summary>The first characters of the key, to recognise it in listings.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
