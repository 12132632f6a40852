namespace Metering.Contracts;

/// <summary>
/// A budget's scope, as a throttle command carries it: <c>{ "kind": "service", "value": "agent-loop" }</c>,
/// <c>{ "kind": "attribute", "value": "feature=chat" }</c> or <c>{ "kind": "model", "value": "openai/gpt-4o" }</c>.
/// </summary>
public sealed record BudgetScope(ScopeKind Kind, string Value)
{
    /// <summary>The whole tenant: what a command without a scope means.</summary>
    public static BudgetScope Tenant { get; } = new(ScopeKind.Tenant, string.Empty);

    /// <summary>For an attribute scope, the key and value of <c>key=value</c>; for a model scope, the provider and model of <c>provider/model</c>.</summary>
    public (string First, string Second) Parts()
    {
        var separator = Kind == ScopeKind.Attribute ? '=' : '/';
        var at = Value.IndexOf(separator, StringComparison.Ordinal);
        return at < 0 ? (Value, string.Empty) : (Value[..at], Value[(at + 1)..]);
    }

    public override string ToString() => Kind == ScopeKind.Tenant ? "tenant" : $"{Kind.Name()} {Value}";
}
