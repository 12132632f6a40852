namespace Metering.Pricing;

public static class BucketKinds
{
    public static IReadOnlyList<BucketKind> InFillOrder { get; } =
        [BucketKind.CacheRead, BucketKind.CacheReadOverCap, BucketKind.CacheWrite, BucketKind.Input, BucketKind.Reasoning, BucketKind.Output];

    /// <summary>The name used in JSON, the ledger and invoices.</summary>
    public static string Name(this BucketKind kind) => kind switch
    {
        BucketKind.CacheRead => "cache-read",
        BucketKind.CacheReadOverCap => "cache-read-over-cap",
        BucketKind.CacheWrite => "cache-write",
        BucketKind.Input => "input",
        BucketKind.Output => "output",
        BucketKind.Reasoning => "reasoning",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown bucket"),
    };

    public static bool TryParse(string? name, out BucketKind kind)
    {
        foreach (var candidate in InFillOrder)
        {
            if (candidate.Name() == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
