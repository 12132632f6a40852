using System.Text.Json.Serialization;

namespace Metering.Api.Endpoints;

public sealed record BudgetUpdate(
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? Amount,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? WarnAt,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? SlowdownAt,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? BlockAt);
