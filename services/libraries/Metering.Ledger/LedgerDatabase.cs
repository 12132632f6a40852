using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Metering.Ledger;

/// <summary>How every service connects to the ledger database: one data source, JSON columns in camelCase.</summary>
public static class LedgerDatabase
{
    /// <summary>The JSON form of <c>jsonb</c> columns, shared by EF Core and the hot path so both read what the other wrote.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        // Money in JSON columns is an exact decimal string (see ChargesJson); numbers are read too.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConfigureJsonOptions(JsonOptions);
        builder.EnableDynamicJson();
        return builder.Build();
    }

    /// <summary>
    /// A read-only transaction on one snapshot (REPEATABLE READ READ ONLY): every statement in it sees the same committed
    /// state, so totals read by several statements always agree with one another.
    /// </summary>
    public static async Task<NpgsqlTransaction> BeginSnapshotAsync(this NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction);
        await readOnly.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    public static DbContextOptionsBuilder UseLedger(this DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource).UseSnakeCaseNamingConvention();

    /// <summary>Registers the data source, the EF Core context factory and the ledger's stores.</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => CreateDataSource(connectionString));
        services.AddPooledDbContextFactory<LedgerDbContext>((provider, options) => options.UseLedger(provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<LedgerDbContext>>().CreateDbContext());
        services.AddSingleton<LedgerMigrator>();
        services.AddSingleton<Catalog.CatalogStore>();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<Outbox.OutboxStore>();
        services.AddSingleton<Writing.MeteringTransaction>();
        services.AddSingleton<Writing.ReversalTransaction>();
        services.AddSingleton<Partitions.LedgerPartitions>();
        services.AddSingleton<Access.ApiKeys>();
        return services;
    }
}
