namespace Metering.Contracts;

/// <summary>
/// The names budget scopes and periods go by everywhere outside C#: in a command's JSON, in the database's
/// <c>scope_kind</c> and <c>period</c> columns, in metrics and in deterministic message ids — <c>tenant</c>,
/// <c>service</c>, <c>attribute</c>, <c>model</c>; <c>cycle</c>, <c>day</c>.
/// </summary>
public static class BudgetNames
{
    public static string Name(this ScopeKind kind) => kind.ToString().ToLowerInvariant();

    public static string Name(this BudgetPeriod period) => period.ToString().ToLowerInvariant();
}
