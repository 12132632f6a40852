using System.Globalization;

namespace Metering.Pricing.Catalog;

/// <summary>
/// The price of one (provider, model) from <see cref="EffectiveFrom"/> until the pair's next entry.
/// Published entries are never edited: a price change is a new entry. Rates are per 1M tokens.
/// </summary>
public sealed record PriceEntry
{
    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required DateTimeOffset EffectiveFrom { get; init; }

    public required decimal InputPerMillion { get; init; }

    public required decimal OutputPerMillion { get; init; }

    /// <summary>Null when the provider has no cache pricing: cached tokens are then billed as input.</summary>
    public decimal? CacheReadPerMillion { get; init; }

    /// <summary>At most this many cached tokens per event get the cache-read rate; null means no cap.</summary>
    public long? CacheReadCapTokens { get; init; }

    /// <summary>Null bills cache writes at the input rate.</summary>
    public decimal? CacheWritePerMillion { get; init; }

    /// <summary>When true the provider bills <c>max(completionTokens, maxTokens)</c> output tokens.</summary>
    public bool BillsReservedOutput { get; init; }

    /// <summary>The name of the volume discount schedule; null means no discount.</summary>
    public string? TierSchedule { get; init; }

    /// <summary>A stable identity for the ledger: <c>provider/model@effectiveFrom</c>.</summary>
    public string Id => string.Create(
        CultureInfo.InvariantCulture, $"{Provider}/{Model}@{EffectiveFrom.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");

    /// <summary>The undiscounted rate per 1M tokens of one bucket.</summary>
    public decimal RatePerMillion(BucketKind bucket) => bucket switch
    {
        BucketKind.CacheRead => CacheReadPerMillion ?? InputPerMillion,
        BucketKind.CacheWrite => CacheWritePerMillion ?? InputPerMillion,
        BucketKind.Output => OutputPerMillion,
        _ => InputPerMillion,
    };
}
