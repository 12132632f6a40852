using Metering.Ledger.Catalog;
using Metering.Pricing.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace Metering.Ledger;

/// <summary>Brings a database to the current schema and seeds the built-in catalog's models it does not have yet. Safe to run concurrently and repeatedly.</summary>
public sealed class LedgerMigrator(IDbContextFactory<LedgerDbContext> contexts, CatalogStore catalog, ILogger<LedgerMigrator> logger)
{
    /// <summary>The first migration of the development versions whose migrations were folded into today's initial one.</summary>
    private const string FoldedAway = "20261129135414_InitialLedger";

    /// <param name="target">Migrate only up to this migration (a test of a later migration starts from an earlier schema); null for all.</param>
    public async Task MigrateAsync(CancellationToken cancellationToken = default, string? target = null)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
            if (applied.Contains(FoldedAway))
            {
                throw new InvalidOperationException(
                    $"database '{db.Database.GetDbConnection().Database}' was made by a development version of Metering whose migrations have since been folded " +
                    "into one initial migration; nothing of it was released, so drop the database and migrate again (infra/down.sh --wipe, then infra/up.sh)");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (target is null)
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            else
            {
                await db.GetService<IMigrator>().MigrateAsync(target, cancellationToken);
            }

            logger.LogInformation("Database schema is current; applied {Count} migrations: {Migrations}", pending.Count, pending);
        }

        if (target is not null)
        {
            return; // an earlier schema may not hold today's catalog
        }

        var seeded = await catalog.SeedAsync(PriceCatalog.Default, cancellationToken);
        if (seeded.Prices + seeded.TierSchedules > 0)
        {
            logger.LogInformation(
                "Seeded the built-in catalog: {Prices} prices of {Pairs} models, {Schedules} tier schedules", seeded.Prices, seeded.Pairs, seeded.TierSchedules);
        }
    }
}
