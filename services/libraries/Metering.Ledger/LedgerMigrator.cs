using Metering.Ledger.Catalog;
using Metering.Pricing.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Metering.Ledger;

/// <summary>Brings a database to the current schema and seeds the default catalog into an empty one. Safe to run concurrently and repeatedly.</summary>
public sealed class LedgerMigrator(IDbContextFactory<LedgerDbContext> contexts, CatalogStore catalog, ILogger<LedgerMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database schema is current; applied {Count} migrations: {Migrations}", pending.Count, pending);
        }

        if (await catalog.SeedIfEmptyAsync(PriceCatalog.Default, cancellationToken))
        {
            logger.LogInformation("Seeded the default catalog: {Prices} prices, {Schedules} tier schedules", PriceCatalog.Default.Prices.Count, PriceCatalog.Default.TierSchedules.Count);
        }
    }
}
