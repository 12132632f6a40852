using System.Collections.Concurrent;
using Metering.Ledger;
using Metering.Pricing;
using Npgsql;

namespace Metering.Api.Queries;

/// <summary>
/// Tenant settings for the reads that run on every poll (the cycle summary, the dashboard), read through the same
/// <see cref="TenantStore"/> the consumer prices with and kept for <see cref="KeepFor"/>.
/// </summary>
public sealed class TenantSettingsCache(NpgsqlDataSource dataSource, TenantStore tenants, TimeProvider time)
{
    /// <summary>
    /// Settings change rarely (the anchor day never once a tenant has usage), so a read may use them up to this old;
    /// a change made through this API instance is seen at once (<see cref="Forget"/>).
    /// </summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (TenantSettings Settings, DateTimeOffset Until)> settings = new(StringComparer.Ordinal);

    public void Forget(string tenantId) => settings.TryRemove(tenantId, out _);

    public async Task<TenantSettings> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (settings.TryGetValue(tenantId, out var cached) && cached.Until > now)
        {
            return cached.Settings;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var read = (await tenants.LoadAsync(connection, [tenantId], cancellationToken))[tenantId];
        settings[tenantId] = (read, now + KeepFor);
        return read;
    }
}
