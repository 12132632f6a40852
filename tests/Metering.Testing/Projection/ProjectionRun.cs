namespace Metering.Testing.Projection;

/// <summary>What one replayed cycle projected at its checkpoints, and what it finally cost.</summary>
/// <param name="SettledAfter">For traffic that stops: how long after the last call the projection first equalled actual spend, at a tick.</param>
public sealed record ProjectionRun(
    string Shape,
    decimal Final,
    IReadOnlyList<(TimeSpan At, decimal Projected, decimal Actual)> Projections,
    TimeSpan? SettledAfter)
{
    /// <summary>|projected − final| / final at each checkpoint.</summary>
    public IEnumerable<(TimeSpan At, decimal Error)> Errors => Projections.Select(p => (p.At, Math.Abs(p.Projected - Final) / Final));
}
