namespace Metering.Contracts;

/// <summary>
/// Published as raw JSON on the fanout exchange <c>metering.throttle</c> whenever a tenant's throttle level changes.
/// <see cref="Sequence"/> increases strictly per tenant: a consumer ignores any command not newer than the one it holds.
/// </summary>
public sealed record ThrottleCommand
{
    /// <summary>Deterministic: derived from (tenant, cycle, sequence).</summary>
    public required Guid CommandId { get; init; }

    public required string TenantId { get; init; }

    public required string Cycle { get; init; }

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

    /// <summary>When the command stops applying: the end of its cycle.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
