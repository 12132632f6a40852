using System.Collections.Concurrent;
using Metering.Contracts;

namespace Metering.Throttling;

/// <summary>
/// The newest throttle command per (tenant, scope, period): the tenant's own budget, and each of its scoped budgets
/// (SPEC §15). A command not newer (by sequence) than the one held for its (tenant, scope, period) is ignored, whatever
/// order commands arrive in; an expired command no longer applies.
/// </summary>
public sealed class ThrottleBook(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(BudgetScope Scope, BudgetPeriod Period), ThrottleCommand>> tenants = new(StringComparer.Ordinal);

    public event Action<ThrottleCommand>? Changed;

    /// <summary>Keeps the command if it is newer than the one held for its (tenant, scope, period); true when it was kept.</summary>
    public bool Apply(ThrottleCommand command)
    {
        var kept = false;
        tenants.GetOrAdd(command.TenantId, _ => new()).AddOrUpdate(
            (command.Scope ?? BudgetScope.Tenant, command.Period ?? BudgetPeriod.Cycle),
            _ =>
            {
                kept = true;
                return command;
            },
            (_, held) =>
            {
                kept = command.Sequence > held.Sequence;
                return kept ? command : held;
            });
        if (kept)
        {
            Changed?.Invoke(command);
        }

        return kept;
    }

    /// <summary>The tenant's own command in force, or null (no command, or it has expired): normal.</summary>
    public ThrottleCommand? For(string tenantId) => For(tenantId, BudgetScope.Tenant);

    /// <summary>The strictest command in force on one scope of the tenant (its cycle and day budgets), or null.</summary>
    public ThrottleCommand? For(string tenantId, BudgetScope scope) =>
        StrictestThrottle.Of(InForce(tenantId).Where(c => (c.Scope ?? BudgetScope.Tenant) == scope));

    /// <summary>The strictest command in force among those whose scope covers the request — the tenant's own included — or null.</summary>
    public ThrottleCommand? For(ThrottleRequest request) =>
        StrictestThrottle.Of(InForce(request.TenantId).Where(c => StrictestThrottle.Matches(c.Scope ?? BudgetScope.Tenant, request)));

    public IReadOnlyCollection<ThrottleCommand> All => [.. tenants.Values.SelectMany(t => t.Values)];

    private IEnumerable<ThrottleCommand> InForce(string tenantId)
    {
        var now = time.GetUtcNow();
        return tenants.TryGetValue(tenantId, out var commands) ? commands.Values.Where(c => c.ExpiresAt > now) : [];
    }
}
