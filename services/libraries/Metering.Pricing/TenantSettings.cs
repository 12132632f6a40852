using System.Collections.Frozen;

namespace Metering.Pricing;

/// <summary>What pricing needs to know about a tenant: its cycle anchor day and its tier schedule overrides.</summary>
public sealed record TenantSettings
{
    public static readonly FrozenDictionary<string, string> NoOverrides = FrozenDictionary<string, string>.Empty;

    public required string TenantId { get; init; }

    /// <summary>Cycles start on this day of the month (1–28) at 00:00 UTC.</summary>
    public int CycleAnchorDay { get; init; } = 1;

    /// <summary>provider → tier schedule name, replacing the catalog's schedule for every entry of that provider.</summary>
    public IReadOnlyDictionary<string, string> TierScheduleOverrides { get; init; } = NoOverrides;

    public static TenantSettings DefaultFor(string tenantId) => new() { TenantId = tenantId };

    public string? TierScheduleFor(string provider) =>
        TierScheduleOverrides.Count != 0 && TierScheduleOverrides.TryGetValue(provider, out var name) ? name : null;
}
