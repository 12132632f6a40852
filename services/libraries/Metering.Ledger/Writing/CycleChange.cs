using Metering.Contracts;
using Metering.Pricing.Batches;

namespace Metering.Ledger.Writing;

/// <summary>A cycle a transaction billed into: its totals after the commit, and the spend update the commit publishes.</summary>
public sealed record CycleChange(CycleKey Key, CycleTotals After, SpendUpdated Update);
