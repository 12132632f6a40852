using CsCheck;
using Metering.Contracts;
using Metering.Pricing.Batches;
using Metering.Pricing.Catalog;
using Metering.Pricing.Usage;

namespace Metering.Pricing.Tests;

/// <summary>
/// Invariants of one batch's metering decision over random batches: several messages of several events for three
/// tenants, two adjacent cycles, volume counters that cross the 100M boundary, and event ids repeated inside the batch
/// and against events billed before.
/// </summary>
public sealed class BatchDecisionTests
{
    private const long Boundary = 100_000_000;
    private const int Iterations = 200;

    private static readonly DateTimeOffset FirstArrival = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EarliestOccurrence = new(2026, 10, 25, 0, 0, 0, TimeSpan.Zero);

    private static readonly TenantSettings[] Tenants =
    [
        TenantSettings.DefaultFor("acme"),
        new()
        {
            TenantId = "globex",
            TierScheduleOverrides = new Dictionary<string, string> { ["deepseek"] = "deepseek-new-customer", ["openai"] = "deepseek-volume" },
        },
        new() { TenantId = "initech", CycleAnchorDay = 28 },
    ];

    /// <summary>The default catalog's rates as SPEC §4 lists them; null for a model it does not price.</summary>
    private static readonly (string Provider, string Model, ListRates? Rates)[] Models =
    [
        ("deepseek", "deepseek-v4-pro", new ListRates(0.56m, 1.12m, 0.07m, 128_000, null, BillsReservedOutput: true)),
        ("deepseek", "deepseek-v4-pro", new ListRates(0.56m, 1.12m, 0.07m, 128_000, null, BillsReservedOutput: true)),
        ("openai", "gpt-4o", new ListRates(2.50m, 10.00m, 1.25m, null, null, BillsReservedOutput: false)),
        ("openai", "gpt-4o-mini", new ListRates(0.15m, 0.60m, 0.075m, null, null, BillsReservedOutput: false)),
        ("anthropic", "claude-3-5-sonnet", new ListRates(3.00m, 15.00m, 0.30m, null, 3.75m, BillsReservedOutput: false)),
        ("openai", "gpt-9", null),
    ];

    private static readonly Gen<UsageRead> Reads =
        Gen.Select(
                Gen.Int[0, Tenants.Length - 1],
                Gen.Int[0, 9],
                Gen.Int[0, Models.Length - 1],
                Gen.Select(Gen.Long[0, 60_000_000], Gen.Double[0, 1], Gen.Double[0, 1]),
                Gen.Long[0, 20_000_000],
                Gen.Long[0, 25_000_000].Nullable(),
                Gen.Int[0, (int)TimeSpan.FromDays(9).TotalMinutes],
                Gen.Int[0, 19])
            .Select((tenant, eventId, model, prompt, completion, maxTokens, minute, unreadable) =>
            {
                var (promptTokens, cachedShare, writeShare) = prompt;
                var cached = (long)(promptTokens * cachedShare);
                var usage = new TokenUsage
                {
                    EventId = $"e{eventId}",
                    TenantId = Tenants[tenant].TenantId,
                    Provider = Models[model].Provider,
                    Model = Models[model].Model,
                    PromptTokens = promptTokens,
                    CompletionTokens = completion,
                    CachedTokens = cached,
                    CacheWriteTokens = Models[model].Provider == "anthropic" ? (long)((promptTokens - cached) * writeShare) : 0,
                    MaxTokens = maxTokens,
                    OccurredAt = EarliestOccurrence.AddMinutes(minute),
                };
                return unreadable == 0
                    ? UsageRead.Rejected(new Rejection(RejectionCodes.Invalid, "promptTokens must be an integer"), ReadOnlyMemory<byte>.Empty, usage.EventId, usage.TenantId)
                    : UsageRead.Valid(ReadOnlyMemory<byte>.Empty, usage);
            });

    private static readonly Gen<IncomingMessage> Messages =
        Gen.Select(Reads.Array[1, 5], Gen.Int[0, 120])
            .Select((reads, minutes) => new IncomingMessage(ReadOnlyMemory<byte>.Empty, reads, FirstArrival.AddMinutes(minutes)));

    private static readonly Gen<long> StartingCounter =
        Gen.Frequency((3, Gen.Const(0L)), (3, Gen.Long[Boundary - 20_000_000, Boundary]), (1, Gen.Long[0, 2 * Boundary]));

    private static readonly Gen<Dictionary<TierCounterKey, long>> StartingCounters =
        StartingCounter.Array[CounterKeys().Length].Select(values => CounterKeys().Zip(values).ToDictionary(p => p.First, p => p.Second));

    private static readonly Gen<Dictionary<EventKey, Guid?>> BilledBefore =
        Gen.Select(Gen.Int[0, Tenants.Length - 1], Gen.Int[0, 9], Gen.Guid.Nullable()).Array[0, 6]
            .Select(billed => billed
                .DistinctBy(b => (b.Item1, b.Item2))
                .ToDictionary(b => new EventKey(Tenants[b.Item1].TenantId, $"e{b.Item2}"), b => b.Item3));

    private static readonly Gen<Batch> Batches =
        Gen.Select(Messages.Array[1, 6], BilledBefore, StartingCounters, Gen.Frequency((2, Gen.Const(TimeSpan.FromHours(72))), (1, Gen.Const(TimeSpan.FromHours(12)))))
            .Select((messages, billedBefore, counters, grace) => new Batch(messages, billedBefore, counters, new MeteringRules(grace)));

    [Fact]
    public void Every_event_is_exactly_one_of_priced_rejected_or_duplicate()
    {
        Batches.Sample(batch =>
        {
            var outcome = batch.Decide();

            var reads = batch.Messages.SelectMany(m => m.Reads).ToList();
            Assert.Equal(reads.Count, outcome.Events);
            var pricedOnce = outcome.Priced.Select(p => p.Usage).ToHashSet(ReferenceEqualityComparer.Instance);
            var rejectedOnce = outcome.Rejections.Select(r => r.Read).ToHashSet(ReferenceEqualityComparer.Instance);
            Assert.Equal(outcome.Priced.Count, pricedOnce.Count);
            Assert.Equal(outcome.Rejections.Count, rejectedOnce.Count);
            Assert.All(reads.Where(r => !r.IsValid), r => Assert.Contains(r, rejectedOnce));
            Assert.All(reads.Where(r => r.IsValid), r => Assert.False(pricedOnce.Contains(r.Usage!) && rejectedOnce.Contains(r)));
            foreach (var group in reads.Where(r => r.IsValid).GroupBy(r => KeyOf(r.Usage!)))
            {
                var priced = group.Count(r => pricedOnce.Contains(r.Usage!));
                var rejected = group.Count(rejectedOnce.Contains);
                var duplicates = outcome.Duplicates.Count(d => d.Key == group.Key);
                Assert.Equal(group.Count(), priced + rejected + duplicates);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Each_event_is_decided_as_the_rules_say_in_batch_order()
    {
        Batches.Sample(batch =>
        {
            var outcome = batch.Decide();

            var expected = ExpectedDecisions(batch);
            Assert.Equal<TokenUsage>(expected.Priced, outcome.Priced.Select(p => p.Usage), ReferenceEqualityComparer.Instance);
            Assert.Equal(expected.Rejected, outcome.Rejections.Select(r => (r.Read, r.Rejection.Code, r.Position)));
            Assert.Equal(expected.Duplicates, outcome.Duplicates);
        }, iter: Iterations);
    }

    [Fact]
    public void An_event_is_billed_at_most_once_and_never_when_it_was_billed_before()
    {
        Batches.Sample(batch =>
        {
            var outcome = batch.Decide();

            var billed = outcome.Priced.Select(p => KeyOf(p.Usage)).ToList();
            Assert.Equal(billed.Count, billed.Distinct().Count());
            Assert.DoesNotContain(billed, batch.BilledBefore.ContainsKey);
            Assert.All(outcome.Duplicates.Where(d => d.FirstDelivery is not null), d => Assert.Equal(batch.BilledBefore[d.Key], d.FirstDelivery));
            Assert.All(outcome.Duplicates.Where(d => d.FirstDelivery is null), d => Assert.True(batch.BilledBefore.ContainsKey(d.Key) || billed.Contains(d.Key)));
        }, iter: Iterations);
    }

    [Fact]
    public void Counters_move_by_the_billed_tokens_of_their_entries_and_end_where_the_next_batch_starts()
    {
        Batches.Sample(batch =>
        {
            var session = batch.NewSession();
            var outcome = BatchDecision.Decide(batch.Messages, batch.BilledBefore, session, batch.Rules);

            var billedPerCounter = outcome.Priced.GroupBy(p => p.CounterKey).ToDictionary(g => g.Key, g => g.Sum(p => p.Price.BilledTokens));
            Assert.Equal(
                billedPerCounter.Where(b => b.Value != 0).Select(b => b.Key).Order(CounterOrder.Instance),
                outcome.CounterMoves.Select(m => m.Key).Order(CounterOrder.Instance));
            Assert.All(outcome.CounterMoves, move =>
            {
                Assert.Equal(batch.StartingCounters.GetValueOrDefault(move.Key), move.Before);
                Assert.Equal(move.Before + billedPerCounter[move.Key], move.After);
            });
            Assert.Equal(Moved(batch.StartingCounters, outcome).OrderBy(c => c.Key, CounterOrder.Instance), session.TierCounters.OrderBy(c => c.Key, CounterOrder.Instance));
        }, iter: Iterations);
    }

    [Fact]
    public void Each_entry_is_priced_where_the_earlier_entries_of_its_counter_left_it()
    {
        Batches.Sample(batch =>
        {
            var outcome = batch.Decide();

            var positions = new Dictionary<TierCounterKey, long>(batch.StartingCounters);
            foreach (var entry in outcome.Priced)
            {
                var position = positions.GetValueOrDefault(entry.CounterKey);
                Assert.Equal(position, entry.TierPositionBefore);
                Assert.Equal(ExpectedCycle(entry.Usage), entry.Terms.Cycle.StartDate);
                var (billedTokens, cost) = ListPrice(entry.Usage, position);
                Assert.Equal(billedTokens, entry.Price.BilledTokens);
                Assert.Equal(cost, entry.Price.Cost);
                Assert.Equal(entry.Price, Given.Price(TokenCounts.Of(entry.Usage), entry.Terms.Entry, entry.Terms.Schedule, position).Price);
                positions[entry.CounterKey] = position + billedTokens;
            }
        }, iter: Iterations);
    }

    [Fact]
    public void A_batch_decided_in_two_parts_bills_what_it_bills_in_one()
    {
        Gen.Select(Batches, Gen.Double[0, 1]).Sample((batch, cut) =>
        {
            var whole = batch.Decide();

            var (first, second) = SplitAt(batch.Messages, (int)Math.Round(cut * batch.Messages.Sum(m => m.Reads.Count)));
            var firstOutcome = BatchDecision.Decide(first, batch.BilledBefore, batch.NewSession(), batch.Rules);
            var billedByFirst = new Dictionary<EventKey, Guid?>(batch.BilledBefore);
            var firstBatchId = Guid.CreateVersion7();
            foreach (var entry in firstOutcome.Priced)
            {
                billedByFirst[KeyOf(entry.Usage)] = firstBatchId;
            }

            var committed = Moved(batch.StartingCounters, firstOutcome);
            var secondSession = new Batch(second, billedByFirst, committed, batch.Rules).NewSession();
            var secondOutcome = BatchDecision.Decide(second, billedByFirst, secondSession, batch.Rules);

            Assert.Equal(CostPerCycle(whole.Priced), CostPerCycle([.. firstOutcome.Priced, .. secondOutcome.Priced]));
            Assert.Equal(whole.Cost, firstOutcome.Cost + secondOutcome.Cost);
            Assert.Equal(
                whole.Priced.Select(p => (p.Usage, p.TierPositionBefore, p.Price)),
                firstOutcome.Priced.Concat(secondOutcome.Priced).Select(p => (p.Usage, p.TierPositionBefore, p.Price)));
            Assert.Equal(
                whole.Rejections.Select(r => (r.Read, r.Rejection.Code, r.Position)),
                firstOutcome.Rejections.Concat(secondOutcome.Rejections).Select(r => (r.Read, r.Rejection.Code, r.Position)));
            Assert.Equal(whole.Duplicates.Select(d => d.Key), firstOutcome.Duplicates.Concat(secondOutcome.Duplicates).Select(d => d.Key));
            Assert.Equal(
                Moved(batch.StartingCounters, whole).OrderBy(c => c.Key, CounterOrder.Instance),
                Moved(committed, secondOutcome).OrderBy(c => c.Key, CounterOrder.Instance));
        }, iter: Iterations);
    }

    [Fact]
    public void A_second_batch_through_the_same_session_continues_the_first()
    {
        Gen.Select(Batches, Gen.Double[0, 1]).Sample((batch, cut) =>
        {
            var whole = batch.Decide();

            var (first, second) = SplitAt(batch.Messages, (int)Math.Round(cut * batch.Messages.Sum(m => m.Reads.Count)));
            var session = batch.NewSession();
            var firstOutcome = BatchDecision.Decide(first, batch.BilledBefore, session, batch.Rules);
            var secondOutcome = BatchDecision.Decide(second, batch.BilledBefore, session, batch.Rules);

            Assert.Equal(
                whole.Priced.Select(p => (p.Usage, p.TierPositionBefore, p.Price.Cost)),
                firstOutcome.Priced.Concat(secondOutcome.Priced).Select(p => (p.Usage, p.TierPositionBefore, p.Price.Cost)));
            Assert.Equal(whole.Duplicates, firstOutcome.Duplicates.Concat(secondOutcome.Duplicates));
            Assert.Equal(
                Moved(batch.StartingCounters, whole).OrderBy(c => c.Key, CounterOrder.Instance),
                Moved(Moved(batch.StartingCounters, firstOutcome), secondOutcome).OrderBy(c => c.Key, CounterOrder.Instance));
        }, iter: Iterations);
    }

    [Fact]
    public void The_batch_cost_is_exactly_the_sum_of_its_entries_charges()
    {
        Batches.Sample(batch =>
        {
            var outcome = batch.Decide();

            Assert.All(outcome.Priced, p => Assert.Equal(p.Price.Cost, p.Charges.Sum(c => c.Amount)));
            Assert.All(outcome.Priced, p => Assert.All(p.Charges, c => Assert.Equal(c.Amount, c.Tokens * c.RatePerMillion / 1_000_000m)));
            Assert.Equal(outcome.Priced.SelectMany(p => p.Charges).Sum(c => c.Amount), outcome.Cost);
            Assert.Equal(CostPerCycle(outcome.Priced).Values.Sum(), outcome.Cost);
        }, iter: Iterations);
    }

    [Fact]
    public void The_cycles_to_lock_hold_every_cycle_the_batch_prices_into()
    {
        Batches.Sample(batch =>
        {
            var session = batch.NewSession();
            var toLock = BatchDecision.CyclesToLock(batch.Messages, session, batch.Rules);
            var outcome = BatchDecision.Decide(batch.Messages, batch.BilledBefore, session, batch.Rules);

            Assert.All(outcome.Priced, p => Assert.Contains(new CycleKey(p.Usage.TenantId, p.Terms.Cycle.StartDate), toLock));
        }, iter: Iterations);
    }

    private static EventKey KeyOf(TokenUsage usage) => new(usage.TenantId, usage.EventId);

    private static TenantSettings SettingsOf(string tenantId) => Tenants.Single(t => t.TenantId == tenantId);

    private static TierCounterKey[] CounterKeys() =>
    [
        .. from tenant in Tenants
           from cycle in new[] { FirstArrival.AddMonths(-1), FirstArrival }
           from provider in new[] { "deepseek", "openai", "anthropic" }
           select new TierCounterKey(tenant.TenantId, BillingCycle.Containing(cycle, tenant.CycleAnchorDay).StartDate, provider),
    ];

    private static Dictionary<TierCounterKey, long> Moved(IReadOnlyDictionary<TierCounterKey, long> counters, BatchOutcome outcome)
    {
        var moved = new Dictionary<TierCounterKey, long>(counters);
        foreach (var move in outcome.CounterMoves)
        {
            moved[move.Key] = move.After;
        }

        return moved;
    }

    private static Dictionary<(string TenantId, DateOnly Cycle), decimal> CostPerCycle(IEnumerable<PricedEvent> priced) =>
        priced.GroupBy(p => (p.Usage.TenantId, p.Terms.Cycle.StartDate)).ToDictionary(g => g.Key, g => g.Sum(p => p.Price.Cost));

    private static (IncomingMessage[] First, IncomingMessage[] Second) SplitAt(IReadOnlyList<IncomingMessage> messages, int readsInFirst)
    {
        var first = new List<IncomingMessage>();
        var second = new List<IncomingMessage>();
        foreach (var message in messages)
        {
            var take = Math.Clamp(readsInFirst, 0, message.Reads.Count);
            if (take > 0)
            {
                first.Add(message with { Reads = [.. message.Reads.Take(take)] });
            }

            if (take < message.Reads.Count)
            {
                second.Add(message with { Reads = [.. message.Reads.Skip(take)], FirstPosition = message.FirstPosition + take });
            }

            readsInFirst -= take;
        }

        return ([.. first], [.. second]);
    }

    private static DateOnly ExpectedCycle(TokenUsage usage)
    {
        var anchor = SettingsOf(usage.TenantId).CycleAnchorDay;
        var at = usage.OccurredAt.UtcDateTime;
        var start = new DateOnly(at.Year, at.Month, anchor);
        return at.Day >= anchor ? start : start.AddMonths(-1);
    }

    /// <summary>The decisions SPEC §5 and §7 call for, in batch order, worked out without a pricing session.</summary>
    private static (List<TokenUsage> Priced, List<(UsageRead, string, int)> Rejected, List<DuplicateRead> Duplicates) ExpectedDecisions(Batch batch)
    {
        var priced = new List<TokenUsage>();
        var rejected = new List<(UsageRead, string, int)>();
        var duplicates = new List<DuplicateRead>();
        var billedHere = new HashSet<EventKey>();
        foreach (var message in batch.Messages)
        {
            for (var position = 0; position < message.Reads.Count; position++)
            {
                var read = message.Reads[position];
                if (read.Usage is not { } usage)
                {
                    rejected.Add((read, read.Rejection!.Code, message.FirstPosition + position));
                    continue;
                }

                var key = KeyOf(usage);
                var cycleEnd = new DateTimeOffset(ExpectedCycle(usage).AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var refusal =
                    Models.First(m => m.Provider == usage.Provider && m.Model == usage.Model).Rates is null ? RejectionCodes.UnknownModel
                    : usage.OccurredAt > message.ArrivedAt.AddMinutes(5) ? RejectionCodes.FutureTimestamp
                    : message.ArrivedAt >= cycleEnd + batch.Rules.GracePeriod ? RejectionCodes.CycleClosed
                    : null;
                if (batch.BilledBefore.TryGetValue(key, out var first))
                {
                    duplicates.Add(new DuplicateRead(key, first));
                }
                else if (billedHere.Contains(key))
                {
                    duplicates.Add(new DuplicateRead(key, null));
                }
                else if (refusal is not null)
                {
                    rejected.Add((read, refusal, message.FirstPosition + position));
                }
                else
                {
                    priced.Add(usage);
                    billedHere.Add(key);
                }
            }
        }

        return (priced, rejected, duplicates);
    }

    /// <summary>An event's billed tokens and cost at a counter position, by SPEC §4's buckets and the tenant's tiers.</summary>
    private static (long BilledTokens, decimal Cost) ListPrice(TokenUsage usage, long position)
    {
        var rates = Models.First(m => m.Provider == usage.Provider && m.Model == usage.Model).Rates!;
        var (belowBoundary, fromBoundary) = Discounts(usage.TenantId, usage.Provider);
        var cacheRead = rates.CacheRead is null ? 0 : Math.Min(usage.CachedTokens, rates.CacheReadCap ?? long.MaxValue);
        var billedOutput = rates.BillsReservedOutput && usage.MaxTokens is { } reserved ? Math.Max(usage.CompletionTokens, reserved) : usage.CompletionTokens;
        (long Tokens, decimal Rate)[] buckets =
        [
            (cacheRead, rates.CacheRead ?? 0m),
            (usage.CachedTokens - cacheRead, rates.Input),
            (usage.CacheWriteTokens, rates.CacheWrite ?? rates.Input),
            (usage.PromptTokens - usage.CachedTokens - usage.CacheWriteTokens, rates.Input),
            (billedOutput, rates.Output),
        ];

        var cost = 0m;
        var at = position;
        foreach (var (tokens, rate) in buckets)
        {
            var below = Math.Clamp(Boundary - at, 0, tokens);
            cost += below * rate * (1m - belowBoundary) / 1_000_000m;
            cost += (tokens - below) * rate * (1m - fromBoundary) / 1_000_000m;
            at += tokens;
        }

        return (at - position, cost);
    }

    /// <summary>The discounts below and from 100M tokens: deepseek-volume, deepseek-new-customer, or none.</summary>
    private static (decimal BelowBoundary, decimal FromBoundary) Discounts(string tenantId, string provider) => (tenantId, provider) switch
    {
        ("globex", "deepseek") => (0.5m, 0.75m),
        ("globex", "openai") => (0m, 0.75m),
        (_, "deepseek") => (0m, 0.75m),
        _ => (0m, 0m),
    };

    private sealed record ListRates(decimal Input, decimal Output, decimal? CacheRead, long? CacheReadCap, decimal? CacheWrite, bool BillsReservedOutput);

    private sealed record Batch(
        IReadOnlyList<IncomingMessage> Messages,
        Dictionary<EventKey, Guid?> BilledBefore,
        Dictionary<TierCounterKey, long> StartingCounters,
        MeteringRules Rules)
    {
        public PricingSession NewSession()
        {
            var session = Given.Session(PriceCatalog.Default, Tenants);
            foreach (var (key, tokens) in StartingCounters)
            {
                session.TierCounters[key] = tokens;
            }

            return session;
        }

        public BatchOutcome Decide() => BatchDecision.Decide(Messages, BilledBefore, NewSession(), Rules);

        public override string ToString() =>
            $"grace {Rules.GracePeriod}, billed before [{string.Join(", ", BilledBefore.Keys)}], counters [{string.Join(", ", StartingCounters.Where(c => c.Value != 0))}], messages:\n"
            + string.Join("\n", Messages.Select(m => $"  at {m.ArrivedAt:O}: " + string.Join("; ", m.Reads.Select(Describe))));

        private static string Describe(UsageRead read) => read.Usage is { } u
            ? $"{u.TenantId}/{u.EventId} {u.Provider}/{u.Model} p{u.PromptTokens} c{u.CompletionTokens} cr{u.CachedTokens} cw{u.CacheWriteTokens} max{u.MaxTokens} at {u.OccurredAt:O}"
            : $"unreadable {read.TenantId}/{read.EventId}";
    }

    private sealed class CounterOrder : IComparer<TierCounterKey>
    {
        public static CounterOrder Instance { get; } = new();

        public int Compare(TierCounterKey x, TierCounterKey y) =>
            (string.CompareOrdinal(x.TenantId, y.TenantId), x.Cycle.CompareTo(y.Cycle), string.CompareOrdinal(x.Provider, y.Provider)) switch
            {
                (not 0 and var byTenant, _, _) => byTenant,
                (_, not 0 and var byCycle, _) => byCycle,
                var (_, _, byProvider) => byProvider,
            };
    }
}
