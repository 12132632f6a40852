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
    private static readonly string[] WebhookTables =
        ["webhook_endpoints", "webhook_events", "webhook_deliveries", "webhook_attempts", "cycle_closings", "rejection_spikes"];

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
    /// A database holding a metered stream is taken back to the previous migration (its schema then is the previous
    /// version's, holding the previous version's columns of every row) and migrated to the latest again: every table of
    /// the previous schema keeps its rows and every value of every column it had.
    /// </summary>
    [Fact]
    public Task A_database_holding_data_keeps_every_row_through_the_latest_migration() =>
        AssertKeepsEveryRowAsync(migrations => migrations.Count > 1 ? migrations[^2] : migrations[0], _ => { });

    /// <summary>The same from the version before minute usage, which that migration starts from the hourly history.</summary>
    [Fact]
    public Task A_database_from_before_minute_usage_keeps_every_row_and_starts_it_from_the_hourly_history() =>
        AssertKeepsEveryRowAsync(Before("_MinuteUsage"), columns => Assert.DoesNotContain("minute_usage", columns.Keys));

    /// <summary>The same from the version before scoped budgets, which adds their tables and the scope of a command.</summary>
    [Fact]
    public Task A_database_from_before_scoped_budgets_keeps_every_row() =>
        AssertKeepsEveryRowAsync(
            Before("_ScopedBudgets"),
            columns =>
            {
                Assert.DoesNotContain("scope_budgets", columns.Keys);
                Assert.DoesNotContain("scope_kind", columns["throttle_commands"]);
            });

    /// <summary>
    /// The same from the version before webhooks, whatever migrations came after them: the webhook tables are new and
    /// empty, and the alert jobs find the old data they read (cycles, rejections) where they read it.
    /// </summary>
    [Fact]
    public Task A_database_from_before_webhooks_keeps_every_row_and_gains_the_webhook_tables() =>
        AssertKeepsEveryRowAsync(
            Before("_Webhooks"),
            columns =>
            {
                Assert.All(WebhookTables, table => Assert.DoesNotContain(table, columns.Keys));
                Assert.Contains("cycle_states", columns.Keys);
                Assert.Contains("rejected_events", columns.Keys);
            },
            async database =>
            {
                foreach (var table in WebhookTables)
                {
                    Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
                }
            });

    /// <summary>Picks the migration just before the one whose name ends with <paramref name="suffix"/>.</summary>
    private static Func<List<string>, string> Before(string suffix) =>
        migrations => migrations[migrations.FindIndex(m => m.EndsWith(suffix, StringComparison.Ordinal)) - 1];

    /// <summary>
    /// Meters a stream at the latest schema, takes the database back to the migration <paramref name="target"/> picks,
    /// and migrates it to the latest again; every row of that schema must come through unchanged.
    /// </summary>
    private static async Task AssertKeepsEveryRowAsync(
        Func<List<string>, string> target, Action<Dictionary<string, List<string>>> checkBefore, Func<TestDatabase, Task>? checkAfter = null)
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

        await migrator.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var stream = Usage.MixedStream(300, "migrated");
        var messages = stream.Chunk(10).Select(chunk => IncomingMessage.Read(JsonSerializer.SerializeToUtf8Bytes(chunk, MeteringJson.Options), now)).ToList();
        await services.GetRequiredService<MeteringTransaction>().CommitAsync(messages, new MeteringRules(TimeSpan.FromHours(72)), now);
        await migrator.MigrateAsync(target: target(migrations));
        var columns = await ColumnsAsync(database);
        checkBefore(columns);

        // The revision is a counter every catalog change bumps: the seed after the migration may add what the new schema
        // holds (provider fallbacks), and readers then reload. It is not data that could be lost.
        columns.Remove("catalog_revision");
        var before = await FingerprintAsync(database, columns);

        await migrator.MigrateAsync();

        Assert.Equal(stream.Count, before["ledger_entries"].Rows);
        Assert.Equal(before, await FingerprintAsync(database, columns));

        // The projection's minute usage, when a migration creates it, starts from the hourly history, not empty.
        Assert.Equal(
            await database.ScalarAsync<decimal>("SELECT sum(cost) FROM hourly_usage"),
            await database.ScalarAsync<decimal>("SELECT sum(cost) FROM minute_usage"));
        if (checkAfter is not null)
        {
            await checkAfter(database);
        }
    }

    private static async Task<Dictionary<string, List<string>>> ColumnsAsync(TestDatabase database) =>
        (await database.QueryAsync(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory' ORDER BY table_name, ordinal_position
            """,
            r => (Table: r.GetString(0), Column: r.GetString(1))))
        .GroupBy(c => c.Table)
        .ToDictionary(g => g.Key, g => g.Select(c => c.Column).ToList());

    /// <summary>Each table's row count and a hash of its rows' values in the given columns.</summary>
    private static async Task<Dictionary<string, (long Rows, string Hash)>> FingerprintAsync(TestDatabase database, Dictionary<string, List<string>> columns)
    {
        var fingerprint = new Dictionary<string, (long, string)>();
        foreach (var (table, names) in columns)
        {
            var row = string.Join(", ", names.Select(n => $"t.\"{n}\""));
            var hashed = await database.QueryAsync(
                $"SELECT count(*), coalesce(md5(string_agg(row({row})::text, '|' ORDER BY row({row})::text)), '') FROM \"{table}\" t", r => (r.GetInt64(0), r.GetString(1)));
            fingerprint[table] = hashed[0];
        }

        return fingerprint;
    }
}
