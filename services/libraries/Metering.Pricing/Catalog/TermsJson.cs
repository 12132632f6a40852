using System.Globalization;

namespace Metering.Pricing.Catalog;

/// <summary>The JSON form of an entry's match rule, context tiers and daily windows, both ways, with every problem named.</summary>
internal static class TermsJson
{
    public static ModelMatch? ToMatch(MatchDocument? document, string owner, List<string> problems)
    {
        if (document is null)
        {
            problems.Add($"{owner}: a match rule is null");
            return null;
        }

        var set = new List<(MatchKind Kind, object Value)>();
        if (document.EqualTo is { } equalTo) set.Add((MatchKind.Equals, equalTo));
        if (document.StartsWith is { } startsWith) set.Add((MatchKind.StartsWith, startsWith));
        if (document.EndsWith is { } endsWith) set.Add((MatchKind.EndsWith, endsWith));
        if (document.Contains is { } contains) set.Add((MatchKind.Contains, contains));
        if (document.Regex is { } regex) set.Add((MatchKind.Regex, regex));
        if (document.Or is { } or) set.Add((MatchKind.Or, or));
        if (document.And is { } and) set.Add((MatchKind.And, and));
        if (set.Count != 1)
        {
            problems.Add($"{owner}: a match rule must have exactly one of equals, starts_with, ends_with, contains, regex, or, and; it has {(set.Count == 0 ? "none" : string.Join(", ", set.Select(s => ModelMatch.Name(s.Kind))))}");
            return null;
        }

        var (kind, value) = set[0];
        try
        {
            if (value is List<MatchDocument?> rules)
            {
                var parsed = rules.Select(r => ToMatch(r, owner, problems)).ToList();
                return parsed.Any(r => r is null) ? null : ModelMatch.Combine(kind, parsed!);
            }

            return ModelMatch.Leaf(kind, (string)value);
        }
        catch (CatalogException e)
        {
            problems.Add($"{owner}: {e.Problems[0]}");
            return null;
        }
    }

    public static MatchDocument ToDocument(ModelMatch match) => match.Kind switch
    {
        MatchKind.Equals => new MatchDocument { EqualTo = match.Value },
        MatchKind.StartsWith => new MatchDocument { StartsWith = match.Value },
        MatchKind.EndsWith => new MatchDocument { EndsWith = match.Value },
        MatchKind.Contains => new MatchDocument { Contains = match.Value },
        MatchKind.Regex => new MatchDocument { Regex = match.Value },
        MatchKind.Or => new MatchDocument { Or = [.. match.Rules.Select(r => (MatchDocument?)ToDocument(r))] },
        _ => new MatchDocument { And = [.. match.Rules.Select(r => (MatchDocument?)ToDocument(r))] },
    };

    public static IReadOnlyList<ContextTier> ToTiers(List<ContextTierDocument?>? documents, string owner, List<string> problems)
    {
        var tiers = new List<ContextTier>();
        for (var i = 0; i < (documents?.Count ?? 0); i++)
        {
            var where = $"{owner} contextTiers[{i}]";
            if (documents![i] is not { } document)
            {
                problems.Add($"{where} is null");
                continue;
            }

            if (document.AbovePromptTokens is null)
            {
                problems.Add($"{where}: abovePromptTokens is required");
            }

            if (ToRates(document, where, problems) is { } rates && document.AbovePromptTokens is { } above)
            {
                tiers.Add(new ContextTier(above, rates));
            }
        }

        return tiers;
    }

    public static IReadOnlyList<DailyWindow> ToWindows(List<WindowDocument?>? documents, string owner, List<string> problems)
    {
        var windows = new List<DailyWindow>();
        for (var i = 0; i < (documents?.Count ?? 0); i++)
        {
            var where = $"{owner} windows[{i}]";
            if (documents![i] is not { } document)
            {
                problems.Add($"{where} is null");
                continue;
            }

            var start = ToTimeOfDay(document.Start, $"{where} start", problems);
            var end = ToTimeOfDay(document.End, $"{where} end", problems);
            var rates = ToRates(document, where, problems);
            var tiers = ToTiers(document.ContextTiers, where, problems);
            if (start is { } s && end is { } e && rates is { } r)
            {
                windows.Add(new DailyWindow(s, e, r) { ContextTiers = tiers });
            }
        }

        return windows;
    }

    public static List<ContextTierDocument?>? ToDocuments(IReadOnlyList<ContextTier> tiers) =>
        tiers.Count == 0 ? null : [.. tiers.Select(t => (ContextTierDocument?)Fill(new ContextTierDocument { AbovePromptTokens = t.AbovePromptTokens }, t.Rates))];

    public static List<WindowDocument?>? ToDocuments(IReadOnlyList<DailyWindow> windows) =>
        windows.Count == 0 ? null : [.. windows.Select(w => (WindowDocument?)Fill(
            new WindowDocument { Start = TimeText(w.Start), End = TimeText(w.End), ContextTiers = ToDocuments(w.ContextTiers) }, w.Rates))];

    private static T Fill<T>(T document, Rates rates)
        where T : RatesDocument
    {
        document.InputPerMillion = rates.Input;
        document.OutputPerMillion = rates.Output;
        document.CacheReadPerMillion = rates.CacheRead;
        document.CacheWritePerMillion = rates.CacheWrite;
        document.ReasoningPerMillion = rates.Reasoning;
        return document;
    }

    private static Rates? ToRates(RatesDocument document, string owner, List<string> problems)
    {
        if (document.InputPerMillion is null || document.OutputPerMillion is null)
        {
            problems.Add($"{owner}: inputPerMillion and outputPerMillion are required");
            return null;
        }

        return new Rates(document.InputPerMillion.Value, document.OutputPerMillion.Value, document.CacheReadPerMillion, document.CacheWritePerMillion, document.ReasoningPerMillion);
    }

    private static TimeSpan? ToTimeOfDay(string? text, string owner, List<string> problems)
    {
        if (TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"hh\:mm\:ss\.FFFFFFF", @"hh\:mm"], CultureInfo.InvariantCulture, out var time))
        {
            return time;
        }

        problems.Add($"{owner}: '{text}' is not a UTC time of day (HH:mm:ss)");
        return null;
    }

    private static string TimeText(TimeSpan time) =>
        time.Ticks % TimeSpan.TicksPerSecond == 0 ? time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : time.ToString(@"hh\:mm\:ss\.FFFFFFF", CultureInfo.InvariantCulture);
}
