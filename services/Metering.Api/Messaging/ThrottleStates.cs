using System.Text.Json;
using Metering.Contracts;
using Metering.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Metering.Api.Messaging;

/// <summary>Reads what the budget saga decided: projected spend, throttle level and the last command per tenant and per budget scope.</summary>
public sealed class ThrottleStates(IDbContextFactory<LedgerDbContext> contexts)
{
    /// <summary>
    /// The newest command of every tenant and every budget scope that has one (the throttling client bootstraps from
    /// this): the tenant's own first, then its scopes'. One statement, so one snapshot.
    /// </summary>
    public async Task<List<ThrottleCommand>> CurrentAsync(string? tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var commands = await db.Database.SqlQuery<string>(
            $"""
            SELECT body AS "Value" FROM (
                SELECT tenant_id, 0 AS scoped, '' AS scope_kind, '' AS scope_value, '' AS period, last_command::text AS body
                FROM throttle_states WHERE last_command IS NOT NULL AND ({tenantId}::text IS NULL OR tenant_id = {tenantId})
                UNION ALL
                SELECT tenant_id, 1, scope_kind, scope_value, period, last_command::text
                FROM scope_throttle_states WHERE last_command IS NOT NULL AND ({tenantId}::text IS NULL OR tenant_id = {tenantId})
            ) c
            ORDER BY tenant_id, scoped, scope_kind, scope_value, period
            """).ToListAsync(cancellationToken);
        return [.. commands.Select(c => JsonSerializer.Deserialize<ThrottleCommand>(c, MeteringJson.Options)!)];
    }
}
