using System.Collections.Concurrent;
using Metering.Contracts;

namespace Metering.Throttling;

/// <summary>
/// The newest throttle command per tenant. A command not newer (by sequence) than the one held is ignored, whatever
/// order commands arrive in; an expired command no longer applies.
/// </summary>
public sealed class ThrottleBook(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ThrottleCommand> commands = new(StringComparer.Ordinal);

    public event Action<ThrottleCommand>? Changed;

    /// <summary>Keeps the command if it is newer than the tenant's; true when it was kept.</summary>
    public bool Apply(ThrottleCommand command)
    {
        var kept = false;
        commands.AddOrUpdate(
            command.TenantId,
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

    /// <summary>The command in force for a tenant, or null (no command, or it has expired): normal.</summary>
    public ThrottleCommand? For(string tenantId) =>
        commands.TryGetValue(tenantId, out var command) && command.ExpiresAt > time.GetUtcNow() ? command : null;

    public IReadOnlyCollection<ThrottleCommand> All => [.. commands.Values];
}
