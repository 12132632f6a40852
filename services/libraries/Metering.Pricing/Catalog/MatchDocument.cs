using System.Text.Json.Serialization;

namespace Metering.Pricing.Catalog;

/// <summary>A model-name rule as JSON, in the community dataset's own shape: exactly one property set.</summary>
public sealed class MatchDocument
{
    [JsonPropertyName("equals")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EqualTo { get; set; }

    [JsonPropertyName("starts_with")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StartsWith { get; set; }

    [JsonPropertyName("ends_with")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EndsWith { get; set; }

    [JsonPropertyName("contains")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Contains { get; set; }

    [JsonPropertyName("regex")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Regex { get; set; }

    [JsonPropertyName("or")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<MatchDocument?>? Or { get; set; }

    [JsonPropertyName("and")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<MatchDocument?>? And { get; set; }
}
