using System.CommandLine;
using Metering.Bench;
using Metering.Bench.Micro;

var root = new RootCommand("Metering benchmarks against the real PostgreSQL and RabbitMQ of this machine (see docs/performance.md)")
{
    MicroBench.Command(),
    PipelineBench.Command(),
    SeedBench.Command(),
    ApiBench.Command(),
    IngestBench.Command(),
    ProjectionBench.Command(),
};

return await root.Parse(args).InvokeAsync();
