using Metering.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api.Endpoints;

/// <summary>Reading budgets, the tenant's and scoped ones alike: every bad value is a 400 that names the field.</summary>
public static class BudgetInputs
{
    public const int MaxServiceLength = 128;
    public const int MaxAttributeKeyLength = 64;
    public const int MaxAttributeValueLength = 512;

    /// <summary>A positive amount and thresholds above 0 and at most 10 (fractions of the amount).</summary>
    public static ValidationProblem? Terms(BudgetUpdate update)
    {
        if (update.Amount is not { } amount || amount <= 0)
        {
            return Problems.Invalid("amount", "a budget is a positive amount per period, e.g. \"500.00\"");
        }

        foreach (var (field, value) in new[] { ("warnAt", update.WarnAt), ("slowdownAt", update.SlowdownAt), ("blockAt", update.BlockAt) })
        {
            if (value is <= 0 or > 10)
            {
                return Problems.Invalid(field, $"a threshold is a fraction of the budget above 0 and at most 10, e.g. 0.8 for 80 %; got {value}");
            }
        }

        return null;
    }

    /// <summary>
    /// The whole tenant (for a daily budget: its cycle budget is <c>/budget</c>), a service (1–128 characters), one attribute value (<c>key=value</c>, as events carry attributes: a key of 1–64
    /// characters without '=', a value of 1–512) or a provider's model (<c>provider/model</c>).
    /// </summary>
    public static bool TryScope(ScopeInput? input, out BudgetScope scope, out ValidationProblem? problem)
    {
        scope = BudgetScope.Tenant;
        problem = null;
        var value = input?.Value ?? string.Empty;
        switch (input?.Kind)
        {
            case "service" when value.Length is >= 1 and <= MaxServiceLength:
                scope = new BudgetScope(ScopeKind.Service, value);
                return true;
            case "service":
                problem = Problems.Invalid("scope.value", $"a service scope names a service of 1 to {MaxServiceLength} characters, e.g. \"agent-loop\"");
                return false;
            case "attribute":
                scope = new BudgetScope(ScopeKind.Attribute, value);
                var (key, attribute) = scope.Parts();
                if (value.Contains('=', StringComparison.Ordinal) && key.Length is >= 1 and <= MaxAttributeKeyLength && attribute.Length is >= 1 and <= MaxAttributeValueLength)
                {
                    return true;
                }

                problem = Problems.Invalid(
                    "scope.value",
                    $"an attribute scope is key=value, e.g. \"feature=chat\": a key of 1 to {MaxAttributeKeyLength} characters, a value of 1 to {MaxAttributeValueLength}; got {Problems.Quote(value)}");
                return false;
            case "model":
                scope = new BudgetScope(ScopeKind.Model, value);
                var (provider, model) = scope.Parts();
                if (provider.Length > 0 && model.Length > 0)
                {
                    return true;
                }

                problem = Problems.Invalid("scope.value", $"a model scope is provider/model, e.g. \"openai/gpt-4o\"; got {Problems.Quote(value)}");
                return false;
            case "tenant" when value.Length == 0:
                scope = BudgetScope.Tenant;
                return true;
            case "tenant":
                problem = Problems.Invalid("scope.value", "a tenant scope is the whole tenant and names nothing: leave its value out");
                return false;
            default:
                problem = Problems.Invalid("scope.kind", $"a scope is {{ \"kind\": \"tenant\" | \"service\" | \"attribute\" | \"model\", \"value\": … }}; got kind {Problems.Quote(input?.Kind)}");
                return false;
        }
    }

    /// <summary><c>cycle</c> (the default) or <c>day</c> (a UTC day, 00:00 to 24:00).</summary>
    public static bool TryPeriod(string? input, out BudgetPeriod period, out ValidationProblem? problem)
    {
        problem = null;
        period = BudgetPeriod.Cycle;
        switch (input)
        {
            case null or "cycle":
                return true;
            case "day":
                period = BudgetPeriod.Day;
                return true;
            default:
                problem = Problems.Invalid("period", $"a budget's period is \"cycle\" (the default) or \"day\" (UTC); got {Problems.Quote(input)}");
                return false;
        }
    }
}
