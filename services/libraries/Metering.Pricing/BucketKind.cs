namespace Metering.Pricing;

/// <summary>The buckets an event's tokens are split into, in the order they are filled (SPEC §4).</summary>
public enum BucketKind : byte
{
    CacheRead,
    CacheReadOverCap,
    CacheWrite,
    Input,
    Output,
}
