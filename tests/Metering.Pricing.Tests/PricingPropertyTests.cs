using CsCheck;
using Metering.Contracts;
using Metering.Pricing.Catalog;

namespace Metering.Pricing.Tests;

/// <summary>Invariants of the pricing function over random entries, schedules, events and counter positions.</summary>
public sealed class PricingPropertyTests
{
    private static readonly Gen<decimal> Rate = Gen.Int[0, 2_000_000].Select(r => r / 10_000m);

    private static readonly Gen<PriceEntry> Entries =
        Gen.Select(Rate, Rate, Rate.Nullable(), Gen.Long[0, 300_000].Nullable(), Rate.Nullable(), Gen.Bool)
            .Select(t => Given.Entry(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6));

    private static readonly Gen<TierSchedule> Schedules =
        Gen.Select(Gen.Long[1, 150_000_000].Array[0, 4], Gen.Int[0, 100].Array[5])
            .Select((froms, discounts) =>
            {
                long[] starts = [0, .. froms.Distinct().Order()];
                return new TierSchedule("random", [.. starts.Select((from, i) => new TierStep(from, discounts[i] / 100m))]);
            });

    private static readonly Gen<TokenCounts> Tokens =
        Gen.Select(Gen.Long[0, 100_000_000], Gen.Long[0, 100_000_000], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Long[0, 100_000_000].Nullable())
            .Select((prompt, completion, cachedShare, writeShare, max) =>
            {
                var cached = (long)(prompt * cachedShare);
                var write = (long)((prompt - cached) * writeShare);
                return new TokenCounts(prompt, completion, cached, write, max);
            });

    private static readonly Gen<long> Positions = Gen.OneOf(Gen.Long[0, 300_000_000], Gen.Long[99_000_000, 101_000_000]);

    [Fact]
    public void Bucket_tokens_sum_to_the_billed_tokens()
    {
        Gen.Select(Tokens, Entries, Schedules, Positions).Sample((tokens, entry, schedule, position) =>
        {
            var (price, charges) = Given.Price(tokens, entry, schedule, position);

            var billedOutput = entry.BillsReservedOutput && tokens.MaxTokens is { } max ? Math.Max(tokens.Completion, max) : tokens.Completion;
            Assert.Equal(tokens.Prompt + billedOutput, charges.Sum(c => c.Tokens));
            Assert.Equal(price.BilledTokens, charges.Sum(c => c.Tokens));
            Assert.Equal(price.Cost, charges.Sum(c => c.Amount));
        });
    }

    [Fact]
    public void Tokens_in_a_tier_never_exceed_it()
    {
        Gen.Select(Tokens, Entries, Schedules, Positions).Sample((tokens, entry, schedule, position) =>
        {
            var (_, charges) = Given.Price(tokens, entry, schedule, position);

            var at = position;
            foreach (var charge in charges)
            {
                Assert.True(charge.Tokens > 0);
                Assert.Equal(charge.Tier, schedule.TierAt(at));
                Assert.True(at + charge.Tokens <= schedule.EndOf(charge.Tier), $"{charge} runs past the end of tier {charge.Tier}");
                Assert.Equal(1m - schedule[charge.Tier].Discount, schedule[charge.Tier].Multiplier);
                at += charge.Tokens;
            }
        });
    }

    [Fact]
    public void Costs_are_never_negative()
    {
        Gen.Select(Tokens, Entries, Schedules, Positions).Sample((tokens, entry, schedule, position) =>
        {
            var (price, charges) = Given.Price(tokens, entry, schedule, position);

            Assert.All(charges, c => Assert.True(c.Amount >= 0m && c.RatePerMillion >= 0m));
            Assert.True(price.Cost >= 0m);
            Assert.True(price.ReservedOutputWasteCost >= 0m && price.ReservedOutputWasteCost <= price.Cost);
        });
    }

    [Fact]
    public void One_bucket_priced_in_one_call_costs_the_same_as_priced_chunk_by_chunk()
    {
        Gen.Select(Gen.Long[1, 100_000_000], Gen.Int[1, 20], Entries, Schedules, Positions).Sample((total, chunks, entry, schedule, start) =>
        {
            var whole = Given.Price(new TokenCounts(total, 0), entry, schedule, start).Price.Cost;

            var chunked = 0m;
            var position = start;
            foreach (var size in Split(total, chunks))
            {
                var price = Given.Price(new TokenCounts(size, 0), entry, schedule, position).Price;
                chunked += price.Cost;
                position = price.TierPositionAfter(position);
            }

            Assert.Equal(whole, chunked);
        });
    }

    [Fact]
    public void A_stream_priced_in_one_session_costs_the_same_as_priced_batch_by_batch()
    {
        Gen.Select(StreamOfEvents, Gen.Int[1, 10]).Sample((stream, batches) =>
        {
            var inOne = Given.Session().Let(s => stream.Select(u => s.Price(u).Priced?.Price.Cost ?? 0m).ToList());

            // The consumer prices batch by batch, each batch in a fresh session seeded with the committed counters.
            var counters = new Dictionary<TierCounterKey, long>();
            var batched = new List<decimal>();
            foreach (var batch in stream.Chunk(Math.Max(1, stream.Length / batches)))
            {
                var session = Given.Session();
                foreach (var (key, value) in counters)
                {
                    session.TierCounters[key] = value;
                }

                batched.AddRange(batch.Select(u => session.Price(u).Priced?.Price.Cost ?? 0m));
                counters = session.TierCounters;
            }

            Assert.Equal(inOne, batched);
        }, iter: 200);
    }

    internal static Gen<TokenUsage[]> StreamOfEvents { get; } =
        Gen.Select(
                Gen.OneOf(Gen.Const("deepseek"), Gen.Const("openrouter"), Gen.Const("openai"), Gen.Const("anthropic")),
                Gen.OneOf(Gen.Const("acme"), Gen.Const("globex")),
                Gen.Long[0, 60_000_000],
                Gen.Long[0, 30_000_000],
                Gen.Long[0, 200_000],
                Gen.Int[0, 59])
            .Select((provider, tenant, prompt, completion, cached, day) => Given.Usage(
                provider,
                provider switch { "openai" => "gpt-4o", "anthropic" => "claude-3-5-sonnet", _ => "deepseek-v4-pro" },
                prompt: prompt,
                completion: completion,
                cached: Math.Min(cached, prompt),
                maxTokens: completion + 512,
                tenant: tenant,
                at: new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero).AddDays(day)))
            .Array[1, 40];

    private static IEnumerable<long> Split(long total, int parts)
    {
        var size = Math.Max(1, total / parts);
        while (total > 0)
        {
            var take = Math.Min(size, total);
            yield return take;
            total -= take;
        }
    }
}

internal static class FunctionalExtensions
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}
