using System.Text.Json.Serialization;

namespace Metering.Contracts;

/// <summary>What part of a tenant's traffic a budget covers (SPEC §15).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScopeKind>))]
public enum ScopeKind
{
    /// <summary>All of the tenant's traffic: the budget of SPEC §8.</summary>
    [JsonStringEnumMemberName("tenant")]
    Tenant,

    /// <summary>The events naming one <c>service</c>.</summary>
    [JsonStringEnumMemberName("service")]
    Service,

    /// <summary>The events carrying one attribute value; the scope's value is <c>key=value</c>.</summary>
    [JsonStringEnumMemberName("attribute")]
    Attribute,

    /// <summary>The events of one provider's model; the scope's value is <c>provider/model</c>.</summary>
    [JsonStringEnumMemberName("model")]
    Model,
}
