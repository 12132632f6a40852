namespace Metering.Pricing.Batches;

/// <summary>How far a batch moved one volume counter.</summary>
public readonly record struct CounterMove(TierCounterKey Key, long Before, long After);
