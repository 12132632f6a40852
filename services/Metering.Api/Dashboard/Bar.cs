namespace Metering.Api.Dashboard;

/// <summary>
/// One bar: <paramref name="Value"/> drawn against <paramref name="Scale"/> (the full width), with an optional marker
/// (a tier boundary) and the words written beside it.
/// </summary>
public sealed record Bar(string Label, decimal Value, decimal Scale, string Text, string Css = "bar", decimal? Marker = null);
