namespace Metering.Pricing;

/// <summary>
/// The buckets an event's tokens are split into (SPEC §4, §13). The fill order is <see cref="BucketKinds.InFillOrder"/>;
/// <see cref="Reasoning"/> came later, so it is numbered last.
/// </summary>
public enum BucketKind : byte
{
    CacheRead,
    CacheReadOverCap,
    CacheWrite,
    Input,
    Output,

    /// <summary>Reasoning tokens, a bucket of their own only when the entry gives them a rate.</summary>
    Reasoning,
}
