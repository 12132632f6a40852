namespace Metering.Ledger.Model;

/// <summary>What an API key may do (SPEC §9).</summary>
public enum ApiRole
{
    /// <summary>Everything.</summary>
    Admin,

    /// <summary>Read every tenant, set budgets.</summary>
    Billing,

    /// <summary>Read its own tenant only.</summary>
    Tenant,
}

/// <summary>An API key. Only the SHA-256 of the key is stored; the key itself is shown once, when it is created.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public ApiRole Role { get; set; }

    /// <summary>The tenant a <see cref="ApiRole.Tenant"/> key may read.</summary>
    public string? TenantId { get; set; }

    public required byte[] KeyHash { get; set; }

    /// <summary>The first characters of the key, to recognise it in listings.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A tenant's budget per cycle and the thresholds of SPEC §8, as fractions of the amount.</summary>
public sealed class TenantBudget
{
    public required string TenantId { get; set; }

    public decimal Amount { get; set; }

    /// <summary>Warn when projected spend reaches this fraction of the budget (default 0.8).</summary>
    public decimal WarnAt { get; set; } = 0.8m;

    /// <summary>Slow down when projected spend reaches this fraction (default 1.0).</summary>
    public decimal SlowdownAt { get; set; } = 1.0m;

    /// <summary>Block when actual spend reaches this fraction (default 1.0).</summary>
    public decimal BlockAt { get; set; } = 1.0m;

    public DateTimeOffset UpdatedAt { get; set; }
}
