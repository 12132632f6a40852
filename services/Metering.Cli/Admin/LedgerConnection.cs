using System.CommandLine;
using Metering.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Metering.Cli.Admin;

/// <summary>The admin commands' way to the ledger: <c>--connection</c>, else the services' own setting <c>ConnectionStrings__Ledger</c>.</summary>
internal static class LedgerConnection
{
    public const string Variable = "ConnectionStrings__Ledger";

    public static Option<string?> Option() => new("--connection")
    {
        Description = $"The ledger's PostgreSQL connection string; defaults to the environment variable {Variable}.",
    };

    public static ServiceProvider Services(ParseResult parse, Option<string?> option)
    {
        var connectionString = parse.GetValue(option) ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"no database given: pass --connection or set {Variable}");
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSerilog(new LoggerConfiguration()
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Fatal)
            .WriteTo.Console(outputTemplate: "{Message:lj}{NewLine}{Exception}", standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
            .CreateLogger(), dispose: true));
        services.AddLedger(connectionString);
        return services.BuildServiceProvider();
    }
}
