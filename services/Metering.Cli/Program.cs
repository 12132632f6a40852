using System.CommandLine;
using Metering.Cli.Pricing;

var root = new RootCommand("Metering: usage metering for LLM APIs")
{
    PriceCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
