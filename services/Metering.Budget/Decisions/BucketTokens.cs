using Metering.Pricing;

namespace Metering.Budget.Decisions;

/// <summary>Tokens of one (provider, model, bucket) over a window.</summary>
public readonly record struct BucketTokens(string Provider, string Model, BucketKind Bucket, long Tokens);
