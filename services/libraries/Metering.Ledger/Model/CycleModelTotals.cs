namespace Metering.Ledger.Model;

/// <summary>Totals per (tenant, cycle, provider, model): what a cycle summary shows, without reading entries.</summary>
public sealed class CycleModelTotals
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public long Events { get; set; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    public long ReasoningTokens { get; set; }

    public long BilledTokens { get; set; }

    public long ReservedOutputWaste { get; set; }

    public decimal ReservedOutputWasteCost { get; set; }

    public decimal Cost { get; set; }
}
