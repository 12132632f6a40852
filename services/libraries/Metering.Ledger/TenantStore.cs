using System.Text.Json;
using Metering.Pricing;
using Npgsql;

namespace Metering.Ledger;

/// <summary>Reads tenant settings for pricing; a tenant without a row gets the defaults.</summary>
public sealed class TenantStore
{
    /// <summary>The columns <see cref="Read"/> maps, in its order.</summary>
    public const string Columns = "tenant_id, cycle_anchor_day, tier_schedules::text";

    public async Task<Dictionary<string, TenantSettings>> LoadAsync(NpgsqlConnection connection, IEnumerable<string> tenantIds, CancellationToken cancellationToken)
    {
        var ids = tenantIds.Distinct(StringComparer.Ordinal).ToArray();
        var settings = new Dictionary<string, TenantSettings>(ids.Length, StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return settings;
        }

        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM tenants WHERE tenant_id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tenant = Read(reader);
            settings[tenant.TenantId] = tenant;
        }

        foreach (var id in ids)
        {
            settings.TryAdd(id, TenantSettings.DefaultFor(id));
        }

        return settings;
    }

    /// <summary>A row of <see cref="Columns"/>.</summary>
    public static TenantSettings Read(NpgsqlDataReader reader) => new()
    {
        TenantId = reader.GetString(0),
        CycleAnchorDay = reader.GetInt32(1),
        TierScheduleOverrides = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2), LedgerDatabase.JsonOptions) ?? [],
    };
}
