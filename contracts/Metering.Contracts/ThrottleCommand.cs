using System.Text.Json.Serialization;

namespace Metering.Contracts;

/// <summary>
/// Published as raw JSON on the fanout exchange <c>metering.throttle</c> whenever the throttle level of a tenant, or of
/// one of its budget scopes, changes. <see cref="Sequence"/> increases strictly per (tenant, scope): a consumer ignores
/// any command not newer than the one it holds for that (tenant, scope, period).
/// </summary>
public sealed record ThrottleCommand
{
    /// <summary>Deterministic: derived from (tenant, cycle, sequence), and the scope and period for a scoped budget.</summary>
    public required Guid CommandId { get; init; }

    public required string TenantId { get; init; }

    public required string Cycle { get; init; }

    /// <summary>The budget's scope; absent for the tenant's own budget, so its commands keep the shape they always had.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BudgetScope? Scope { get; init; }

    /// <summary>The budget's period; absent for the tenant's own budget, which is per cycle.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BudgetPeriod? Period { get; init; }

    public required ThrottleLevel Level { get; init; }

    /// <summary>The share of the normal request rate a rate limiter should allow: 1, 0.5 (configurable) or 0.</summary>
    public required decimal RequestRateFactor { get; init; }

    public required string Reason { get; init; }

    public required string SpendToDate { get; init; }

    public required string ProjectedSpend { get; init; }

    /// <summary>Null when the tenant has no budget (a command that lifts the throttle after the budget was removed).</summary>
    public string? Budget { get; init; }

    public required long Sequence { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>When the command stops applying: the end of its cycle, or of its day for a daily budget.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
