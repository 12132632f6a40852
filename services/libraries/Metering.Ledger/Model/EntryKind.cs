namespace Metering.Ledger.Model;

/// <summary>Why an entry is in the ledger.</summary>
public enum EntryKind
{
    /// <summary>An event priced into the cycle it occurred in.</summary>
    Usage,

    /// <summary>A late event re-driven into the current cycle.</summary>
    Adjustment,

    /// <summary>Negates an earlier entry; corrections never update an entry.</summary>
    Reversal,
}
