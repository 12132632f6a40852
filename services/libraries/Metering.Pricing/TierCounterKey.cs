namespace Metering.Pricing;

/// <summary>The volume counter an event's tokens advance: one per (tenant, billing cycle, provider).</summary>
public readonly record struct TierCounterKey(string TenantId, DateOnly Cycle, string Provider);
