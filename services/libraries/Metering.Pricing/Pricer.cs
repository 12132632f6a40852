using System.Runtime.CompilerServices;
using Metering.Pricing.Catalog;

namespace Metering.Pricing;

/// <summary>
/// The pricing function of SPEC §4: pure, exact and allocation-free. Both the metering consumer and the offline
/// pricer call it, so the ledger and the CLI can never disagree.
/// </summary>
public static class Pricer
{
    private const decimal PerMillion = 0.000001m;

    /// <summary>
    /// Finds the terms an event is priced against: the entry for (provider, model) in effect at
    /// <paramref name="occurredAt"/>, the tier schedule after the tenant's overrides, and the tenant's cycle.
    /// False when the catalog has no entry in effect.
    /// </summary>
    public static bool TryResolve(
        PriceCatalog catalog,
        TenantSettings tenant,
        string provider,
        string model,
        DateTimeOffset occurredAt,
        out PricingTerms terms)
    {
        if (!catalog.TryFind(provider, model, occurredAt, out var entry, out var schedule, out var matchedBy))
        {
            terms = default;
            return false;
        }

        terms = new PricingTerms(
            entry,
            catalog.ScheduleFor(provider, schedule, tenant),
            BillingCycle.Containing(occurredAt, tenant.CycleAnchorDay),
            matchedBy);
        return true;
    }

    /// <summary>
    /// Prices one event. The rates are the entry's for the event's prompt size and UTC time of day
    /// (<see cref="PriceEntry.RatesFor"/>). Its tokens occupy tier counter positions
    /// <c>[tierPosition, tierPosition + billed tokens)</c>, filled bucket by bucket in the order cache-read,
    /// cache-read-over-cap, cache-write, input, reasoning (only when the rates price it apart), output; each token
    /// costs its bucket's rate less the discount of the tier its position falls in. One <see cref="BucketCharge"/> per
    /// (bucket, tier) with tokens is written to <paramref name="charges"/>, which needs room for
    /// <see cref="BucketCharge.MaxPerEvent"/>.
    /// </summary>
    public static PricedUsage Price(
        in TokenCounts tokens,
        PriceEntry entry,
        TierSchedule schedule,
        long tierPosition,
        DateTimeOffset occurredAt,
        Span<BucketCharge> charges)
    {
        var plainInput = tokens.PlainInput;
        if (tokens.Prompt < 0 || tokens.Completion < 0 || tokens.Cached < 0 || tokens.CacheWrite < 0 || plainInput < 0 || tierPosition < 0
            || tokens.Reasoning < 0 || tokens.Reasoning > tokens.Completion)
        {
            throw new ArgumentException(
                "token counts must be non-negative, cached + cache-write tokens must not exceed prompt tokens and reasoning tokens must not exceed completion tokens",
                nameof(tokens));
        }

        ref readonly var rates = ref entry.RatesFor(tokens.Prompt, occurredAt);
        long cacheRead = 0;
        var cacheReadOverCap = tokens.Cached;
        if (rates.CacheRead is not null)
        {
            cacheRead = entry.CacheReadCapTokens is { } cap ? Math.Min(tokens.Cached, cap) : tokens.Cached;
            cacheReadOverCap = tokens.Cached - cacheRead;
        }

        var billedOutput = entry.BillsReservedOutput && tokens.MaxTokens is { } reserved
            ? Math.Max(tokens.Completion, reserved)
            : tokens.Completion;
        var reasoning = rates.Reasoning is null ? 0 : tokens.Reasoning;

        var walk = new ChargeWriter(schedule, tierPosition, charges);
        walk.Fill(BucketKind.CacheRead, cacheRead, rates.CacheRead.GetValueOrDefault());
        walk.Fill(BucketKind.CacheReadOverCap, cacheReadOverCap, rates.Input);
        walk.Fill(BucketKind.CacheWrite, tokens.CacheWrite, rates.CacheWrite ?? rates.Input);
        walk.Fill(BucketKind.Input, plainInput, rates.Input);
        walk.Fill(BucketKind.Reasoning, reasoning, rates.Reasoning.GetValueOrDefault());
        var outputStart = walk.Position;
        walk.Fill(BucketKind.Output, billedOutput - reasoning, rates.Output);

        // The reserved-but-unused output tokens are the last ones of the output bucket.
        var waste = billedOutput - tokens.Completion;
        var wasteCost = waste == 0 ? 0m : CostOf(schedule, outputStart + tokens.Completion - reasoning, waste, rates.Output);

        return new PricedUsage(walk.Cost, tokens.Prompt + billedOutput, billedOutput, waste, wasteCost, walk.Count);
    }

    /// <summary>What <paramref name="count"/> tokens at positions from <paramref name="position"/> cost at one list rate.</summary>
    public static decimal CostOf(TierSchedule schedule, long position, long count, decimal ratePerMillion)
    {
        var cost = 0m;
        foreach (var span in schedule.Walk(position, count))
        {
            cost += Charge(schedule[span.Tier], span.Tokens, ratePerMillion).Amount;
        }

        return cost;
    }

    /// <summary>The discounted rate of a tier and what <paramref name="tokens"/> tokens in it cost: tokens × rate ÷ 1M.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (decimal Rate, decimal Amount) Charge(in TierStep step, long tokens, decimal ratePerMillion)
    {
        var rate = step.Discount == 0m ? ratePerMillion : ratePerMillion * step.Multiplier;
        return (rate, tokens * rate * PerMillion);
    }

    private ref struct ChargeWriter(TierSchedule schedule, long position, Span<BucketCharge> charges)
    {
        private readonly Span<BucketCharge> charges = charges;

        public long Position { get; private set; } = position;

        public int Count { get; private set; }

        public decimal Cost { get; private set; }

        public void Fill(BucketKind kind, long tokens, decimal ratePerMillion)
        {
            if (tokens == 0)
            {
                return;
            }

            foreach (var span in schedule.Walk(Position, tokens))
            {
                var step = schedule[span.Tier];
                var (rate, amount) = Charge(step, span.Tokens, ratePerMillion);
                charges[Count++] = new BucketCharge(kind, span.Tier, span.Tokens, step.Discount, rate, amount);
                Cost += amount;
            }

            Position += tokens;
        }
    }
}
