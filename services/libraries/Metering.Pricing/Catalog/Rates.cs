namespace Metering.Pricing.Catalog;

/// <summary>
/// The list rates, per 1M tokens, that one request is priced at. A null cache rate bills those tokens at the input
/// rate; a null reasoning rate bills reasoning tokens as output (SPEC §4, §13).
/// </summary>
public readonly record struct Rates(decimal Input, decimal Output, decimal? CacheRead = null, decimal? CacheWrite = null, decimal? Reasoning = null)
{
    /// <summary>The undiscounted rate per 1M tokens of one bucket.</summary>
    public decimal PerMillion(BucketKind bucket) => bucket switch
    {
        BucketKind.CacheRead => CacheRead ?? Input,
        BucketKind.CacheWrite => CacheWrite ?? Input,
        BucketKind.Reasoning => Reasoning ?? Output,
        BucketKind.Output => Output,
        _ => Input,
    };

    internal IEnumerable<string> Problems(string owner)
    {
        foreach (var (field, rate) in new[]
        {
            ("inputPerMillion", (decimal?)Input), ("outputPerMillion", Output), ("cacheReadPerMillion", CacheRead),
            ("cacheWritePerMillion", CacheWrite), ("reasoningPerMillion", Reasoning),
        })
        {
            if (rate < 0m)
            {
                yield return $"{owner}: {field} must not be negative, got {rate}";
            }
        }
    }
}
