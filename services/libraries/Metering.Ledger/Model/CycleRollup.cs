namespace Metering.Ledger.Model;

/// <summary>Tokens and cost per (tenant, cycle, provider, model, bucket, tier, rate): the invoice lines before rounding.</summary>
public sealed class CycleRollup
{
    public required string TenantId { get; set; }

    public DateOnly Cycle { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public required string Bucket { get; set; }

    public int Tier { get; set; }

    /// <summary><c>charge</c> for what events were billed, <c>reversal</c> for what reversals took back (negative).</summary>
    public required string Kind { get; set; }

    /// <summary>The rate after the tier's discount.</summary>
    public decimal RatePerMillion { get; set; }

    public decimal Discount { get; set; }

    public long Tokens { get; set; }

    public decimal Amount { get; set; }
}
