namespace Metering.Pricing.Batches;

/// <summary>What metering one batch decided: every event of it is exactly one of priced, rejected or a duplicate.</summary>
public sealed record BatchOutcome(
    IReadOnlyList<PricedEvent> Priced,
    IReadOnlyList<RejectedRead> Rejections,
    IReadOnlyList<DuplicateRead> Duplicates,
    IReadOnlyList<CounterMove> CounterMoves)
{
    public int Events => Priced.Count + Rejections.Count + Duplicates.Count;

    public decimal Cost => Priced.Sum(p => p.Price.Cost);

    /// <summary>Events a metering transaction claimed that this batch did not bill (rejected after all): their claims are released.</summary>
    public IEnumerable<EventKey> Unbilled(IEnumerable<EventKey> claimed) =>
        claimed.Except(Priced.Select(p => new EventKey(p.Usage.TenantId, p.Usage.EventId)));
}
