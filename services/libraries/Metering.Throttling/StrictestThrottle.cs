using Metering.Contracts;

namespace Metering.Throttling;

/// <summary>
/// Which of a tenant's throttle commands apply to a request, and which of those wins: the strictest — the highest
/// level (block over slowdown over warn over normal), then the smallest request-rate factor. Pure.
/// </summary>
public static class StrictestThrottle
{
    /// <summary>Whether a budget scope covers the request: the tenant covers all of it; a service, attribute or model scope what names it.</summary>
    public static bool Matches(BudgetScope scope, ThrottleRequest request)
    {
        var (first, second) = scope.Parts();
        return scope.Kind switch
        {
            ScopeKind.Tenant => true,
            ScopeKind.Service => string.Equals(request.Service, scope.Value, StringComparison.Ordinal),
            ScopeKind.Attribute => request.Attributes is { } attributes && attributes.TryGetValue(first, out var value) && string.Equals(value, second, StringComparison.Ordinal),
            ScopeKind.Model => string.Equals(request.Provider, first, StringComparison.Ordinal) && string.Equals(request.Model, second, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>The strictest of <paramref name="commands"/>, or null when there are none; a tie goes to the first.</summary>
    public static ThrottleCommand? Of(IEnumerable<ThrottleCommand> commands)
    {
        ThrottleCommand? strictest = null;
        foreach (var command in commands)
        {
            if (strictest is null || IsStricter(command, strictest))
            {
                strictest = command;
            }
        }

        return strictest;
    }

    public static bool IsStricter(ThrottleCommand candidate, ThrottleCommand than) =>
        candidate.Level > than.Level || (candidate.Level == than.Level && candidate.RequestRateFactor < than.RequestRateFactor);
}
