using System.CommandLine;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Cli.Pricing;

/// <summary><c>metering price</c>: prices JSON-lines events from stdin with no database and no broker (SPEC §10).</summary>
internal static class PriceCommand
{
    /// <summary>The input, a file or a setting could not be read.</summary>
    private const int CannotRead = 2;

    public static Command Create()
    {
        var catalogOption = new Option<FileInfo?>("--catalog") { Description = "A catalog JSON file that replaces the built-in default catalog." };
        var tenantsOption = new Option<FileInfo?>("--tenants") { Description = "Tenant settings: {\"tenants\": [{\"tenantId\", \"cycleAnchorDay\", \"tierSchedules\"}]}." };
        var asOption = new Option<string?>("--as") { Description = "Reprice every event as if it had been sent to PROVIDER/MODEL." };
        var summaryOption = new Option<bool>("--summary") { Description = "Print one summary object instead of a line per event." };

        var command = new Command("price", "Price TokenUsage events read as JSON lines from standard input.")
        {
            catalogOption, tenantsOption, asOption, summaryOption,
        };

        command.SetAction((parse, cancellation) =>
        {
            try
            {
                var catalog = parse.GetValue(catalogOption) is { } catalogFile ? ReadCatalog(catalogFile) : PriceCatalog.Default;
                var tenants = parse.GetValue(tenantsOption) is { } tenantsFile ? TenantsFile.Read(tenantsFile, catalog) : TenantsFile.None;
                var repriceAs = parse.GetValue(asOption) is { } target ? ModelTarget.Parse(target) : null;
                var pricer = new OfflinePricer(catalog, tenants, repriceAs);
                var summary = parse.GetValue(summaryOption);
                return pricer.RunAsync(Console.In, Console.Out, summary, cancellation);
            }
            catch (Exception e) when (e is CatalogException or IOException or UnauthorizedAccessException or FormatException)
            {
                Console.Error.WriteLine($"metering price: {e.Message}");
                return Task.FromResult(CannotRead);
            }
        });

        return command;
    }

    private static PriceCatalog ReadCatalog(FileInfo file)
    {
        using var stream = file.OpenRead();
        return CatalogJson.Read(stream);
    }
}
