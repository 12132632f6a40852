using System.CommandLine;
using Metering.Pricing.Catalog;
using Metering.Pricing.Catalog.Community;

namespace Metering.Cli.Catalog;

/// <summary>
/// <c>metering catalog import --from genai-prices FILE</c>: converts the community price dataset into our catalog
/// JSON (SPEC §13), written to standard output or <c>--out</c>; what was left out, and why, goes to standard error.
/// </summary>
internal static class CatalogCommand
{
    private const int CannotRead = 2;

    public static Command Create()
    {
        var fromOption = new Option<string>("--from") { Description = "The dataset's format; 'genai-prices' (the npm package @pydantic/genai-prices).", Required = true };
        var fileArgument = new Argument<FileInfo>("FILE") { Description = "The dataset, as infra/node/extract-genai-prices.mjs writes it (or the dataset's own data.json)." };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write the catalog here instead of standard output." };
        var import = new Command("import", "Convert a community price dataset into a catalog JSON file.") { fromOption, fileArgument, outOption };
        import.SetAction(async (parse, cancellation) =>
        {
            var from = parse.GetValue(fromOption);
            if (from != GenAiPrices.Name)
            {
                Console.Error.WriteLine($"metering catalog import: --from must be '{GenAiPrices.Name}', not '{from}'");
                return CannotRead;
            }

            try
            {
                CommunityConversion conversion;
                await using (var input = parse.GetValue(fileArgument)!.OpenRead())
                {
                    conversion = await GenAiPrices.ConvertAsync(input, cancellation);
                }

                var json = CatalogJson.WriteDocument(conversion.Document) + "\n";
                if (parse.GetValue(outOption) is { } outFile)
                {
                    await File.WriteAllTextAsync(outFile.FullName, json, cancellation);
                }
                else
                {
                    await Console.Out.WriteAsync(json);
                }

                Report(conversion);
                return 0;
            }
            catch (Exception e) when (e is CatalogException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                Console.Error.WriteLine($"metering catalog import: {e.Message}");
                return CannotRead;
            }
        });

        return new Command("catalog", "Work with price catalogs.") { import };
    }

    private static void Report(CommunityConversion conversion)
    {
        var pairs = conversion.Catalog.Prices.Select(p => (p.Provider, p.Model)).Distinct().Count();
        Console.Error.WriteLine(
            $"converted {conversion.Models} models: {pairs} priced as {conversion.Catalog.Prices.Count} entries, {conversion.Skipped.Count} left out");
        foreach (var group in conversion.Skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()))
        {
            Console.Error.WriteLine($"  left out, {group.Key}: {string.Join(", ", group.Select(s => $"{s.Provider}/{s.Model}"))}");
        }

        if (conversion.UnmeteredPriceKeys.Count > 0)
        {
            Console.Error.WriteLine(
                "  prices of things our events do not count (billed at nothing, as the dataset's own calculator bills a usage without them): "
                + string.Join(", ", conversion.UnmeteredPriceKeys.Select(k => $"{k.Key} ({k.Value} models)")));
        }
    }
}
