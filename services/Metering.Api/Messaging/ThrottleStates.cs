using System.Text.Json;
using Metering.Contracts;
using Metering.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Metering.Api.Messaging;

/// <summary>Reads what the budget saga decided: projected spend, throttle level and the last command per tenant.</summary>
public sealed class ThrottleStates(IDbContextFactory<LedgerDbContext> contexts)
{
    /// <summary>The newest command of every tenant that has one (the throttling client bootstraps from this).</summary>
    public async Task<List<ThrottleCommand>> CurrentAsync(string? tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.ThrottleStates.AsNoTracking().Where(s => s.LastCommand != null);
        if (tenantId is not null)
        {
            query = query.Where(s => s.TenantId == tenantId);
        }

        var commands = await query.OrderBy(s => s.TenantId).Select(s => s.LastCommand!).ToListAsync(cancellationToken);
        return [.. commands.Select(c => JsonSerializer.Deserialize<ThrottleCommand>(c, MeteringJson.Options)!)];
    }
}
