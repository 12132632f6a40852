namespace Metering.Ledger.Model;

/// <summary>The single row whose revision every catalog change bumps, so consumers know when to reload.</summary>
public sealed class CatalogRevision
{
    public int Id { get; set; } = 1;

    public long Revision { get; set; }
}
