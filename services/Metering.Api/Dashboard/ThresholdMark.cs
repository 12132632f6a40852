namespace Metering.Api.Dashboard;

/// <summary>A budget threshold drawn on the spend chart: <c>warn</c> at 80 % of the budget, and so on.</summary>
public sealed record ThresholdMark(string Level, decimal Fraction);
