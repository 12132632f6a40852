using System.CommandLine;
using Metering.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Metering.Cli.Admin;

/// <summary><c>metering migrate</c>: brings the ledger database to the current schema and seeds the default catalog.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var connection = LedgerConnection.Option();
        var command = new Command("migrate", "Apply the database migrations and seed the default catalog into an empty database.") { connection };
        command.SetAction(async (parse, cancellation) =>
        {
            try
            {
                await using var services = LedgerConnection.Services(parse, connection);
                await services.GetRequiredService<LedgerMigrator>().MigrateAsync(cancellation);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or NpgsqlException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"metering migrate: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
