using System.Text.Json;
using Metering.Ledger.Model;
using Metering.Pricing.Catalog;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Ledger.Catalog;

/// <summary>
/// The catalog in PostgreSQL: price entries and tier schedules, plus a revision that every change bumps. Readers keep
/// the parsed catalog and reload it only when the revision moved.
/// </summary>
public sealed class CatalogStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private volatile Snapshot? current;

    /// <summary>The catalog as of the caller's transaction, reloaded when its revision changed.</summary>
    public async Task<PriceCatalog> CurrentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT revision FROM catalog_revision WHERE id = 1", connection);
        var revision = (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
        return await AtAsync(connection, revision, cancellationToken);
    }

    /// <summary>The catalog at <paramref name="revision"/>, which the caller's transaction has read: the one held, or loaded on that connection.</summary>
    public async Task<PriceCatalog> AtAsync(NpgsqlConnection connection, long revision, CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (snapshot is null || snapshot.Revision != revision)
        {
            snapshot = new Snapshot(revision, await LoadAsync(connection, cancellationToken));
            current = snapshot;
        }

        return snapshot.Catalog;
    }

    /// <summary>The catalog at <paramref name="revision"/>, when that is the one held; saves a reader a round trip.</summary>
    public PriceCatalog? Cached(long revision) => current is { } snapshot && snapshot.Revision == revision ? snapshot.Catalog : null;

    public async Task<PriceCatalog> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CurrentAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Adds a price entry. It is validated against the whole catalog first (a pair may have one entry per
    /// effectiveFrom; its tier schedule must exist), so nothing invalid is ever stored. Existing entries are never edited.
    /// </summary>
    public async Task<PriceCatalog> AddPriceAsync(PriceEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockRevisionAsync(connection, cancellationToken);
        var catalog = (await LoadAsync(connection, cancellationToken)).With(entry);
        await InsertPricesAsync(connection, [entry], cancellationToken);
        await BumpRevisionAsync(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return catalog;
    }

    /// <summary>Writes <paramref name="catalog"/> into a database that has no catalog yet; false when it already had one.</summary>
    public async Task<bool> SeedIfEmptyAsync(PriceCatalog catalog, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockRevisionAsync(connection, cancellationToken);
        await using (var count = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM catalog_prices) OR EXISTS (SELECT 1 FROM catalog_tier_schedules)", connection))
        {
            if ((bool)(await count.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        foreach (var schedule in catalog.TierSchedules.Values)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO catalog_tier_schedules (name, steps, created_at) VALUES (@name, @steps, @now)", connection);
            insert.Parameters.AddWithValue("name", schedule.Name);
            insert.Parameters.AddWithValue("steps", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(schedule.Steps.Select(s => new CatalogTierStep(s.FromTokens, s.Discount)), LedgerDatabase.JsonOptions));
            insert.Parameters.AddWithValue("now", time.GetUtcNow());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertPricesAsync(connection, catalog.Prices, cancellationToken);
        await BumpRevisionAsync(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<PriceCatalog> LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var schedules = new List<TierSchedule>();
        await using (var command = new NpgsqlCommand("SELECT name, steps::text FROM catalog_tier_schedules", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var steps = JsonSerializer.Deserialize<List<CatalogTierStep>>(reader.GetString(1), LedgerDatabase.JsonOptions)!;
                schedules.Add(new TierSchedule(reader.GetString(0), [.. steps.Select(s => new TierStep(s.FromTokens, s.Discount))]));
            }
        }

        var prices = new List<PriceEntry>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT provider, model, effective_from, input_per_million, output_per_million, cache_read_per_million,
                   cache_read_cap_tokens, cache_write_per_million, bills_reserved_output, tier_schedule
            FROM catalog_prices
            """,
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                prices.Add(new PriceEntry
                {
                    Provider = reader.GetString(0),
                    Model = reader.GetString(1),
                    EffectiveFrom = reader.GetFieldValue<DateTimeOffset>(2),
                    InputPerMillion = reader.GetDecimal(3),
                    OutputPerMillion = reader.GetDecimal(4),
                    CacheReadPerMillion = reader.IsDBNull(5) ? null : reader.GetDecimal(5),
                    CacheReadCapTokens = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    CacheWritePerMillion = reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                    BillsReservedOutput = reader.GetBoolean(8),
                    TierSchedule = reader.IsDBNull(9) ? null : reader.GetString(9),
                });
            }
        }

        return new PriceCatalog("USD", schedules, prices);
    }

    private async Task InsertPricesAsync(NpgsqlConnection connection, IEnumerable<PriceEntry> prices, CancellationToken cancellationToken)
    {
        foreach (var price in prices)
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO catalog_prices (provider, model, effective_from, input_per_million, output_per_million, cache_read_per_million,
                                            cache_read_cap_tokens, cache_write_per_million, bills_reserved_output, tier_schedule, created_at)
                VALUES (@provider, @model, @from, @input, @output, @cacheRead, @cap, @cacheWrite, @reserved, @tiers, @now)
                """,
                connection);
            insert.Parameters.AddWithValue("provider", price.Provider);
            insert.Parameters.AddWithValue("model", price.Model);
            insert.Parameters.AddWithValue("from", price.EffectiveFrom.ToUniversalTime());
            insert.Parameters.AddWithValue("input", price.InputPerMillion);
            insert.Parameters.AddWithValue("output", price.OutputPerMillion);
            insert.Parameters.AddWithValue("cacheRead", NpgsqlDbType.Numeric, (object?)price.CacheReadPerMillion ?? DBNull.Value);
            insert.Parameters.AddWithValue("cap", NpgsqlDbType.Bigint, (object?)price.CacheReadCapTokens ?? DBNull.Value);
            insert.Parameters.AddWithValue("cacheWrite", NpgsqlDbType.Numeric, (object?)price.CacheWritePerMillion ?? DBNull.Value);
            insert.Parameters.AddWithValue("reserved", price.BillsReservedOutput);
            insert.Parameters.AddWithValue("tiers", NpgsqlDbType.Text, (object?)price.TierSchedule ?? DBNull.Value);
            insert.Parameters.AddWithValue("now", time.GetUtcNow());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Serialises catalog writers, so two concurrent additions are each validated against the other.</summary>
    private static async Task LockRevisionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT revision FROM catalog_revision WHERE id = 1 FOR UPDATE", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task BumpRevisionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record Snapshot(long Revision, PriceCatalog Catalog);
}
