namespace Metering.Ledger.Model;

/// <summary>
/// A tenant's settings. The meter makes the row, with the defaults (anchor day 1, no tier overrides), the first time it
/// sees the tenant, and holds it <c>FOR SHARE</c> while it prices; a change through the API holds it <c>FOR UPDATE</c>,
/// so settings never change under events in flight.
/// </summary>
public sealed class Tenant
{
    public required string TenantId { get; set; }

    public int CycleAnchorDay { get; set; } = 1;

    /// <summary>provider → tier schedule name.</summary>
    public Dictionary<string, string> TierSchedules { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the settings were last set through the API; null while the tenant runs on the defaults.</summary>
    public DateTimeOffset? ConfiguredAt { get; set; }

    /// <summary>
    /// The attribute values some budget of the tenant names, as <c>key=value</c>: the metering transaction keeps
    /// <see cref="AttributeMinuteUsage"/> for these only, reading them with the row it holds <c>FOR SHARE</c>, so a
    /// tenant without such a budget costs nothing, and one with them only its budgets' values.
    /// </summary>
    public List<string> BudgetAttributes { get; set; } = [];
}
