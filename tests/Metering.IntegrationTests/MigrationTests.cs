using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Ledger;
using Metering.Ledger.Writing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Metering.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.IntegrationTests;

/// <summary>The schema is the model's, and a migration keeps the data of the version before it.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task The_migrations_build_exactly_the_model()
    {
        var servers = await Servers.GetAsync();
        await using var database = await servers.CreateEmptyDatabaseAsync();
        await using var services = new ServiceCollection().AddLogging().AddLedger(database.ConnectionString).BuildServiceProvider();
        await services.GetRequiredService<LedgerMigrator>().MigrateAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<LedgerDbContext>>().CreateDbContextAsync();
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration makes: add a migration");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    /// <summary>
    /// A database at the previous migration, holding a metered stream, is migrated to the latest; every table keeps its
    /// rows and sums. While the initial migration is the only one, "previous" is the initial one and the stream is
    /// written by today's writer; a migration that changes what the writer writes replaces that step with the previous
    /// version's rows in plain SQL.
    /// </summary>
    [Fact]
    public async Task A_database_holding_data_keeps_every_row_through_the_latest_migration()
    {
        var servers = await Servers.GetAsync();
        await using var database = await servers.CreateEmptyDatabaseAsync();
        await using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddLedger(database.ConnectionString).BuildServiceProvider();
        var migrator = services.GetRequiredService<LedgerMigrator>();
        List<string> migrations;
        await using (var db = await services.GetRequiredService<IDbContextFactory<LedgerDbContext>>().CreateDbContextAsync())
        {
            migrations = [.. db.Database.GetMigrations()];
        }

        await migrator.MigrateAsync(target: migrations.Count > 1 ? migrations[^2] : migrations[0]);
        var now = DateTimeOffset.UtcNow;
        var stream = Usage.MixedStream(300, "migrated");
        var messages = stream.Chunk(10).Select(chunk => IncomingMessage.Read(JsonSerializer.SerializeToUtf8Bytes(chunk, MeteringJson.Options), now)).ToList();
        await services.GetRequiredService<MeteringTransaction>().CommitAsync(messages, new MeteringRules(TimeSpan.FromHours(72)), now);
        var before = await FingerprintAsync(database);

        await migrator.MigrateAsync();

        Assert.Equal(stream.Count, before["ledger_entries"].Rows);
        Assert.Equal(before, await FingerprintAsync(database));
    }

    /// <summary>Every table's row count and a hash of its rows.</summary>
    private static async Task<Dictionary<string, (long Rows, string Hash)>> FingerprintAsync(TestDatabase database)
    {
        var tables = await database.QueryAsync(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'", r => r.GetString(0));
        var fingerprint = new Dictionary<string, (long, string)>();
        foreach (var table in tables)
        {
            var row = await database.QueryAsync(
                $"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t", r => (r.GetInt64(0), r.GetString(1)));
            fingerprint[table] = row[0];
        }

        return fingerprint;
    }
}
