using System.Text.Json.Serialization;

namespace Metering.Pricing.Catalog;

public sealed class TierStepDocument
{
    public long? FromTokens { get; set; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public decimal? Discount { get; set; }
}
