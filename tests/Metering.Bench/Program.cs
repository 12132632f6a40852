using System.CommandLine;
using Metering.Bench;

var root = new RootCommand("Metering benchmarks against the real PostgreSQL and RabbitMQ of this machine (see docs/performance.md)")
{
    PipelineBench.Command(),
    SeedBench.Command(),
    ApiBench.Command(),
};

return await root.Parse(args).InvokeAsync();
