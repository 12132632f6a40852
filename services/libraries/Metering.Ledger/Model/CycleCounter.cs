namespace Metering.Ledger.Model;

/// <summary>The volume-tier counter: billed tokens per (tenant, cycle, provider).</summary>
public sealed class CycleCounter
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public required string Provider { get; set; }

    public long BilledTokens { get; set; }
}
