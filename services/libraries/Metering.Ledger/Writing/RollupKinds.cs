namespace Metering.Ledger.Writing;

/// <summary>The kinds of invoice line a rollup row is: what events were billed, and what reversals took back.</summary>
public static class RollupKinds
{
    public const string Charge = "charge";
    public const string Reversal = "reversal";
}
