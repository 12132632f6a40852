namespace Metering.Ledger.Model;

/// <summary>A named tier schedule; its steps as JSON.</summary>
public sealed class CatalogTierSchedule
{
    public required string Name { get; set; }

    public required List<CatalogTierStep> Steps { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
