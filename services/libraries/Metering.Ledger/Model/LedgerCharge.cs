namespace Metering.Ledger.Model;

/// <summary>One bucket's tokens in one tier, as stored in the entry's <c>charges</c> JSON.</summary>
public sealed record LedgerCharge(string Kind, int Tier, long Tokens, decimal Discount, decimal RatePerMillion, decimal Amount);
