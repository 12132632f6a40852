using System.Text.Json.Serialization;

namespace Metering.Pricing.Catalog;

/// <summary>A daily window as JSON: <c>start</c> and <c>end</c> are UTC times of day, <c>"HH:mm:ss"</c>.</summary>
public sealed class WindowDocument : RatesDocument
{
    public string? Start { get; set; }

    public string? End { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ContextTierDocument?>? ContextTiers { get; set; }
}
