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
    public Task<PriceCatalog> AddPriceAsync(PriceEntry entry, CancellationToken cancellationToken) =>
        AddPricesAsync([entry], new Dictionary<string, IReadOnlyList<string>>(), cancellationToken);

    /// <summary>
    /// Adds entries in one transaction, validated against the whole catalog first; existing entries are never edited.
    /// Provider fallbacks are added for providers that have none yet.
    /// </summary>
    public async Task<PriceCatalog> AddPricesAsync(
        IReadOnlyList<PriceEntry> entries, IReadOnlyDictionary<string, IReadOnlyList<string>> fallbacks, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockRevisionAsync(connection, cancellationToken);
        var current = await LoadAsync(connection, cancellationToken);
        var newFallbacks = fallbacks.Where(f => !current.ProviderFallbacks.ContainsKey(f.Key)).ToList();
        var catalog = new PriceCatalog(
            current.Currency, current.TierSchedules.Values, current.Prices.Concat(entries),
            current.ProviderFallbacks.Concat(newFallbacks).ToDictionary(f => f.Key, f => f.Value));
        if (entries.Count > 0 || newFallbacks.Count > 0)
        {
            await InsertPricesAsync(connection, entries, cancellationToken);
            await InsertFallbacksAsync(connection, newFallbacks, cancellationToken);
            await BumpRevisionAsync(connection, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return catalog;
    }

    /// <summary>
    /// Writes the built-in catalog's tier schedules, pairs and provider fallbacks that the database does not have yet:
    /// all of them into an empty database, and into one seeded by an earlier version the pairs added since (a newer
    /// community snapshot's new models). A pair the database already has is left as it is: its entries are published.
    /// </summary>
    public async Task<SeedResult> SeedAsync(PriceCatalog builtIn, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockRevisionAsync(connection, cancellationToken);
        var current = await LoadAsync(connection, cancellationToken);
        var schedules = builtIn.TierSchedules.Values.Where(s => !current.TierSchedules.ContainsKey(s.Name)).ToList();
        var prices = builtIn.Prices.Where(p => !current.HasPair(p.Provider, p.Model)).ToList();
        var fallbacks = builtIn.ProviderFallbacks.Where(f => !current.ProviderFallbacks.ContainsKey(f.Key)).ToList();
        if (schedules.Count + prices.Count + fallbacks.Count == 0)
        {
            return new SeedResult(0, 0, 0);
        }

        foreach (var schedule in schedules)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO catalog_tier_schedules (name, steps, created_at) VALUES (@name, @steps, @now)", connection);
            insert.Parameters.AddWithValue("name", schedule.Name);
            insert.Parameters.AddWithValue("steps", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(schedule.Steps.Select(s => new CatalogTierStep(s.FromTokens, s.Discount)), LedgerDatabase.JsonOptions));
            insert.Parameters.AddWithValue("now", time.GetUtcNow());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertPricesAsync(connection, prices, cancellationToken);
        await InsertFallbacksAsync(connection, fallbacks, cancellationToken);
        await BumpRevisionAsync(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SeedResult(prices.Count, prices.Select(p => (p.Provider, p.Model)).Distinct().Count(), schedules.Count);
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

        var fallbacks = new Dictionary<string, IReadOnlyList<string>>();
        await using (var command = new NpgsqlCommand("SELECT provider, fallbacks FROM catalog_provider_fallbacks", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                fallbacks[reader.GetString(0)] = reader.GetFieldValue<string[]>(1);
            }
        }

        // In the order they were added: the order match rules are tried in.
        var prices = new List<PriceEntry>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT provider, model, effective_from, input_per_million, output_per_million, cache_read_per_million,
                   cache_read_cap_tokens, cache_write_per_million, bills_reserved_output, tier_schedule,
                   reasoning_per_million, terms::text, source
            FROM catalog_prices ORDER BY id
            """,
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var entry = new PriceEntry
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
                    ReasoningPerMillion = reader.IsDBNull(10) ? null : reader.GetDecimal(10),
                    Source = reader.IsDBNull(12) ? null : reader.GetString(12),
                };
                prices.Add(CatalogJson.WithTerms(entry, reader.IsDBNull(11) ? null : reader.GetString(11)));
            }
        }

        return new PriceCatalog("USD", schedules, prices, fallbacks);
    }

    /// <summary>One statement for any number of entries (the built-in catalog has some two thousand).</summary>
    private async Task InsertPricesAsync(NpgsqlConnection connection, IReadOnlyList<PriceEntry> prices, CancellationToken cancellationToken)
    {
        if (prices.Count == 0)
        {
            return;
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO catalog_prices (provider, model, effective_from, input_per_million, output_per_million, cache_read_per_million,
                                        cache_read_cap_tokens, cache_write_per_million, reasoning_per_million, bills_reserved_output,
                                        tier_schedule, terms, source, created_at)
            SELECT p.provider, p.model, p.effective_from, p.input, p.output, p.cache_read, p.cap, p.cache_write, p.reasoning, p.reserved,
                   p.tiers, p.terms::jsonb, p.source, @now
            FROM unnest(@provider, @model, @from, @input, @output, @cacheRead, @cap, @cacheWrite, @reasoning, @reserved, @tiers, @terms, @source)
                 WITH ORDINALITY AS p(provider, model, effective_from, input, output, cache_read, cap, cache_write, reasoning, reserved, tiers, terms, source, n)
            ORDER BY p.n
            """,
            connection);
        insert.Parameters.AddWithValue("provider", prices.Select(p => p.Provider).ToArray());
        insert.Parameters.AddWithValue("model", prices.Select(p => p.Model).ToArray());
        insert.Parameters.AddWithValue("from", prices.Select(p => p.EffectiveFrom.ToUniversalTime()).ToArray());
        insert.Parameters.AddWithValue("input", prices.Select(p => p.InputPerMillion).ToArray());
        insert.Parameters.AddWithValue("output", prices.Select(p => p.OutputPerMillion).ToArray());
        insert.Parameters.AddWithValue("cacheRead", NpgsqlDbType.Array | NpgsqlDbType.Numeric, prices.Select(p => p.CacheReadPerMillion).ToArray());
        insert.Parameters.AddWithValue("cap", NpgsqlDbType.Array | NpgsqlDbType.Bigint, prices.Select(p => p.CacheReadCapTokens).ToArray());
        insert.Parameters.AddWithValue("cacheWrite", NpgsqlDbType.Array | NpgsqlDbType.Numeric, prices.Select(p => p.CacheWritePerMillion).ToArray());
        insert.Parameters.AddWithValue("reasoning", NpgsqlDbType.Array | NpgsqlDbType.Numeric, prices.Select(p => p.ReasoningPerMillion).ToArray());
        insert.Parameters.AddWithValue("reserved", prices.Select(p => p.BillsReservedOutput).ToArray());
        insert.Parameters.AddWithValue("tiers", NpgsqlDbType.Array | NpgsqlDbType.Text, prices.Select(p => p.TierSchedule).ToArray());
        insert.Parameters.AddWithValue("terms", NpgsqlDbType.Array | NpgsqlDbType.Text, prices.Select(CatalogJson.WriteTerms).ToArray());
        insert.Parameters.AddWithValue("source", NpgsqlDbType.Array | NpgsqlDbType.Text, prices.Select(p => p.Source).ToArray());
        insert.Parameters.AddWithValue("now", time.GetUtcNow());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertFallbacksAsync(
        NpgsqlConnection connection, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> fallbacks, CancellationToken cancellationToken)
    {
        foreach (var (provider, others) in fallbacks)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO catalog_provider_fallbacks (provider, fallbacks) VALUES (@provider, @fallbacks)", connection);
            insert.Parameters.AddWithValue("provider", provider);
            insert.Parameters.AddWithValue("fallbacks", others.ToArray());
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
