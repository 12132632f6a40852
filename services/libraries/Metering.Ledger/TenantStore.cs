using System.Text.Json;
using Metering.Pricing;
using Npgsql;

namespace Metering.Ledger;

/// <summary>Reads tenant settings for pricing; a tenant without a row gets the defaults.</summary>
public sealed class TenantStore
{
    public async Task<Dictionary<string, TenantSettings>> LoadAsync(NpgsqlConnection connection, IEnumerable<string> tenantIds, CancellationToken cancellationToken)
    {
        var ids = tenantIds.Distinct(StringComparer.Ordinal).ToArray();
        var settings = new Dictionary<string, TenantSettings>(ids.Length, StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return settings;
        }

        await using var command = new NpgsqlCommand(
            "SELECT tenant_id, cycle_anchor_day, tier_schedules::text FROM tenants WHERE tenant_id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tenantId = reader.GetString(0);
            settings[tenantId] = new TenantSettings
            {
                TenantId = tenantId,
                CycleAnchorDay = reader.GetInt32(1),
                TierScheduleOverrides = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2), LedgerDatabase.JsonOptions) ?? [],
            };
        }

        foreach (var id in ids)
        {
            settings.TryAdd(id, TenantSettings.DefaultFor(id));
        }

        return settings;
    }
}
