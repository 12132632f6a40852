using System.Text.Json.Serialization;

namespace Metering.Contracts;

/// <summary>What a budget's amount is per: the billing cycle, or one UTC day (00:00 to 24:00).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BudgetPeriod>))]
public enum BudgetPeriod
{
    [JsonStringEnumMemberName("cycle")]
    Cycle,

    [JsonStringEnumMemberName("day")]
    Day,
}
