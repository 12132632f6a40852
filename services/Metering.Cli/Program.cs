using System.CommandLine;
using Metering.Cli.Admin;
using Metering.Cli.Catalog;
using Metering.Cli.Pricing;

var root = new RootCommand("Metering: usage metering for LLM APIs")
{
    PriceCommand.Create(),
    MigrateCommand.Create(),
    KeysCommand.Create(),
    CatalogCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
