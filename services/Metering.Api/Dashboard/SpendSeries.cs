namespace Metering.Api.Dashboard;

/// <summary>Everything the spend chart shows for one cycle. <see cref="Spent"/> are cumulative totals, oldest first.</summary>
public sealed record SpendSeries(
    DateTimeOffset CycleStart,
    DateTimeOffset CycleEnd,
    DateTimeOffset Now,
    IReadOnlyList<(DateTimeOffset At, decimal Spend)> Spent,
    decimal SpendToDate,
    decimal? Projected,
    decimal? Budget,
    IReadOnlyList<ThresholdMark> Thresholds);
