using System.Text.RegularExpressions;

namespace Metering.Pricing.Catalog;

/// <summary>
/// A rule for the model names producers send that price as one entry: <c>equals</c>, <c>starts_with</c>,
/// <c>ends_with</c>, <c>contains</c> and <c>regex</c> on the model name lower-cased and trimmed, combined with
/// <c>or</c> and <c>and</c> (SPEC §13, the community dataset's own rules). Compared by what it says.
/// </summary>
public sealed class ModelMatch : IEquatable<ModelMatch>
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? regex;

    private ModelMatch(MatchKind kind, string? value, IReadOnlyList<ModelMatch> rules)
    {
        Kind = kind;
        Value = kind == MatchKind.Regex ? value : value?.ToLowerInvariant();
        Rules = rules;
        if (kind == MatchKind.Regex)
        {
            regex = new Regex(value!, RegexOptions.CultureInvariant, RegexTimeout);
        }

        Text = kind switch
        {
            MatchKind.Or or MatchKind.And => $"{Name(kind)}({string.Join(", ", rules.Select(r => r.Text))})",
            _ => $"{Name(kind)}:{Value}",
        };
    }

    public MatchKind Kind { get; }

    /// <summary>The text compared with, for every kind but <c>or</c> and <c>and</c>.</summary>
    public string? Value { get; }

    /// <summary>The rules combined, for <c>or</c> and <c>and</c>.</summary>
    public IReadOnlyList<ModelMatch> Rules { get; }

    /// <summary>What the rule says, e.g. <c>starts_with:claude-sonnet-4-5</c>; stored on ledger entries it matched.</summary>
    public string Text { get; }

    public static ModelMatch Leaf(MatchKind kind, string value)
    {
        if (kind is MatchKind.Or or MatchKind.And)
        {
            throw new ArgumentException("or and and combine rules, they have no value", nameof(kind));
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new CatalogException($"a {Name(kind)} rule needs a non-empty value");
        }

        if (kind == MatchKind.Regex)
        {
            try
            {
                _ = new Regex(value, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new CatalogException($"regex '{value}' is not a valid regular expression: {e.Message}", e);
            }
        }

        return new ModelMatch(kind, value, []);
    }

    public static ModelMatch Combine(MatchKind kind, IReadOnlyList<ModelMatch> rules) =>
        kind is not (MatchKind.Or or MatchKind.And) ? throw new ArgumentException("only or and and combine rules", nameof(kind))
        : rules.Count == 0 ? throw new CatalogException($"an {Name(kind)} rule needs at least one rule")
        : new ModelMatch(kind, null, rules);

    public static string Name(MatchKind kind) => kind switch
    {
        MatchKind.Equals => "equals",
        MatchKind.StartsWith => "starts_with",
        MatchKind.EndsWith => "ends_with",
        MatchKind.Contains => "contains",
        MatchKind.Regex => "regex",
        MatchKind.Or => "or",
        _ => "and",
    };

    /// <summary>
    /// The rule that matches <paramref name="model"/> (already lower-cased and trimmed): the first alternative of an
    /// <c>or</c> that does, the whole of an <c>and</c>, or this rule; null when none does.
    /// </summary>
    public ModelMatch? MatchOf(string model)
    {
        switch (Kind)
        {
            case MatchKind.Or:
                foreach (var rule in Rules)
                {
                    if (rule.MatchOf(model) is { } matched)
                    {
                        return matched;
                    }
                }

                return null;
            case MatchKind.And:
                foreach (var rule in Rules)
                {
                    if (rule.MatchOf(model) is null)
                    {
                        return null;
                    }
                }

                return this;
            default:
                return Matches(model) ? this : null;
        }
    }

    public bool Equals(ModelMatch? other) => other is not null && Text == other.Text;

    public override bool Equals(object? obj) => obj is ModelMatch other && Equals(other);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;

    private bool Matches(string model) => Kind switch
    {
        MatchKind.Equals => model == Value,
        MatchKind.StartsWith => model.StartsWith(Value!, StringComparison.Ordinal),
        MatchKind.EndsWith => model.EndsWith(Value!, StringComparison.Ordinal),
        MatchKind.Contains => model.Contains(Value!, StringComparison.Ordinal),
        _ => MatchesRegex(model),
    };

    private bool MatchesRegex(string model)
    {
        try
        {
            return regex!.IsMatch(model);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
