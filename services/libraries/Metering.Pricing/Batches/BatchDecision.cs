using Metering.Pricing.Usage;

namespace Metering.Pricing.Batches;

/// <summary>
/// The metering decision of one batch, pure: (messages, events already billed, the session's counters, rules) →
/// what is billed, rejected and a duplicate, and how the volume counters move. The ledger transaction is the I/O
/// around it: it claims the events, locks and loads what this needs, calls it, and writes what it decided.
/// </summary>
public static class BatchDecision
{
    /// <summary>
    /// The (tenant, cycle) rows the batch can price into — known model, not from the future, cycle still open — in the
    /// order they must be locked.
    /// </summary>
    public static SortedSet<CycleKey> CyclesToLock(IReadOnlyList<IncomingMessage> messages, PricingSession session, MeteringRules rules)
    {
        var keys = new SortedSet<CycleKey>();
        foreach (var message in messages)
        {
            var arrival = rules.ArrivalOf(message);
            foreach (var read in message.Reads)
            {
                if (read.Usage is { } usage && session.TryResolve(usage, arrival, out var terms, out _))
                {
                    keys.Add(new CycleKey(usage.TenantId, terms.Cycle.StartDate));
                }
            }
        }

        return keys;
    }

    /// <summary>
    /// Decides every event of <paramref name="messages"/> in order. An event is a duplicate when
    /// <paramref name="billedBefore"/> holds it (it was billed by an earlier transaction) or it was priced earlier in
    /// this batch; else it is priced by <paramref name="session"/>, whose counters must hold every cycle it can price
    /// into (<see cref="CyclesToLock"/>), or rejected with the reason. The session continues: its counters end where
    /// the outcome's moves end, so a second batch through it continues the first.
    /// </summary>
    /// <param name="billedBefore">Events already in the ledger, with what their first delivery published.</param>
    public static BatchOutcome Decide(
        IReadOnlyList<IncomingMessage> messages, IReadOnlyDictionary<EventKey, Guid?> billedBefore, PricingSession session, MeteringRules rules)
    {
        var before = new Dictionary<TierCounterKey, long>(session.TierCounters);
        var priced = new List<PricedEvent>();
        var rejections = new List<RejectedRead>();
        var duplicates = new List<DuplicateRead>();
        foreach (var message in messages)
        {
            var arrival = rules.ArrivalOf(message);
            for (var position = 0; position < message.Reads.Count; position++)
            {
                var read = message.Reads[position];
                if (read.Usage is not { } usage)
                {
                    rejections.Add(new RejectedRead(read.Rejection!, read, message, message.FirstPosition + position));
                    continue;
                }

                var key = new EventKey(usage.TenantId, usage.EventId);
                if (billedBefore.TryGetValue(key, out var first))
                {
                    duplicates.Add(new DuplicateRead(key, first));
                    continue;
                }

                var outcome = session.Price(usage, arrival);
                if (outcome.Priced is { } billed)
                {
                    priced.Add(billed);
                }
                else if (outcome.Rejection!.Code == RejectionCodes.Duplicate)
                {
                    duplicates.Add(new DuplicateRead(key, null));
                }
                else
                {
                    rejections.Add(new RejectedRead(outcome.Rejection, read, message, message.FirstPosition + position));
                }
            }
        }

        var moves = session.TierCounters
            .Where(c => before.GetValueOrDefault(c.Key) != c.Value)
            .Select(c => new CounterMove(c.Key, before.GetValueOrDefault(c.Key), c.Value))
            .ToList();
        return new BatchOutcome(priced, rejections, duplicates, moves);
    }
}
