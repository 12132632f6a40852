using System.Text.Json.Serialization;

namespace Metering.Contracts;

/// <summary>How hard a tenant is being slowed (SPEC §8), lowest first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ThrottleLevel>))]
public enum ThrottleLevel
{
    [JsonStringEnumMemberName("normal")]
    Normal,

    [JsonStringEnumMemberName("warn")]
    Warn,

    [JsonStringEnumMemberName("slowdown")]
    Slowdown,

    [JsonStringEnumMemberName("block")]
    Block,
}
