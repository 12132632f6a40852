using System.Text.Json.Serialization;

namespace Metering.Api.Endpoints;

/// <summary>
/// A scoped budget to create (scope, period, amount and thresholds) or to change (amount and thresholds: a budget's
/// scope and period are what it is, so they may be repeated but not changed).
/// </summary>
public sealed record ScopedBudgetRequest(
    ScopeInput? Scope,
    string? Period,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? Amount,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? WarnAt,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? SlowdownAt,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? BlockAt)
{
    public BudgetUpdate Terms => new(Amount, WarnAt, SlowdownAt, BlockAt);
}
