namespace Metering.Contracts;

/// <summary>A tenant's budget was set, changed or removed: the budget saga re-evaluates its throttle at once.</summary>
public sealed record BudgetChanged
{
    public required string TenantId { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}
