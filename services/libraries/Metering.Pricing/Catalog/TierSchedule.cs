namespace Metering.Pricing.Catalog;

/// <summary>
/// A named, graduated "first N tokens / incremental" discount schedule. Steps start at 0 and ascend strictly;
/// a token at counter position p falls in the last step whose <see cref="TierStep.FromTokens"/> ≤ p.
/// </summary>
public sealed class TierSchedule
{
    /// <summary>The most steps a schedule may have; bounds how many charges one event can produce.</summary>
    public const int MaxSteps = 16;

    private readonly TierStep[] steps;

    /// <summary>No discount at any volume; used by entries without a schedule.</summary>
    public static TierSchedule Flat { get; } = new("flat", [new TierStep(0, 0m)]);

    public TierSchedule(string name, IReadOnlyList<TierStep> steps)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var problems = Problems(name, steps);
        if (problems.Count > 0)
        {
            throw new CatalogException(problems);
        }

        Name = name;
        this.steps = [.. steps];
    }

    public string Name { get; }

    public IReadOnlyList<TierStep> Steps => steps;

    /// <summary>The index of the step that counter position <paramref name="position"/> falls in.</summary>
    public int TierAt(long position)
    {
        var tier = 0;
        while (tier + 1 < steps.Length && steps[tier + 1].FromTokens <= position)
        {
            tier++;
        }

        return tier;
    }

    public TierStep this[int tier] => steps[tier];

    /// <summary>The first position past tier <paramref name="tier"/>, or <see cref="long.MaxValue"/> for the last tier.</summary>
    public long EndOf(int tier) => tier + 1 < steps.Length ? steps[tier + 1].FromTokens : long.MaxValue;

    /// <summary>
    /// The tier walk: <paramref name="count"/> tokens from counter position <paramref name="position"/> on, split where
    /// they cross a tier boundary, in order. The one place a run of tokens is cut into tiers; pricing, reserved-output
    /// waste and the spend projection all walk through it. Allocation-free.
    /// </summary>
    public TierWalk Walk(long position, long count) => new(this, position, count);

    internal static List<string> Problems(string name, IReadOnlyList<TierStep>? steps)
    {
        var problems = new List<string>();
        if (steps is null || steps.Count == 0)
        {
            problems.Add($"tier schedule '{name}' has no steps");
            return problems;
        }

        if (steps.Count > MaxSteps)
        {
            problems.Add($"tier schedule '{name}' has {steps.Count} steps; at most {MaxSteps} are allowed");
        }

        if (steps[0].FromTokens != 0)
        {
            problems.Add($"tier schedule '{name}' must start at fromTokens 0, not {steps[0].FromTokens}");
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (i > 0 && steps[i].FromTokens <= steps[i - 1].FromTokens)
            {
                problems.Add($"tier schedule '{name}' step {i}: fromTokens {steps[i].FromTokens} must be greater than the previous step's {steps[i - 1].FromTokens}");
            }

            if (steps[i].Discount is < 0m or > 1m)
            {
                problems.Add($"tier schedule '{name}' step {i}: discount {steps[i].Discount} must be between 0 and 1");
            }
        }

        return problems;
    }
}
