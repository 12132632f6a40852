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
}
