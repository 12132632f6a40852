using System.CommandLine;
using BenchmarkDotNet.Running;

namespace Metering.Bench.Micro;

/// <summary>
/// <c>pricing</c>: the BenchmarkDotNet benchmarks of the hot paths (pricing, OTLP reading), with no servers. Every argument after the command
/// goes to BenchmarkDotNet (<c>--filter</c>, <c>--job short</c>, …).
/// </summary>
internal static class MicroBench
{
    public static Command Command()
    {
        var command = new Command("pricing", "BenchmarkDotNet: the pricing function (resolve, price) and OTLP trace reading, no servers. Arguments after it go to BenchmarkDotNet.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parse =>
        {
            var arguments = parse.UnmatchedTokens.Count > 0 ? parse.UnmatchedTokens.ToArray() : ["--filter", "*"];
            BenchmarkSwitcher.FromTypes([typeof(PricingBenchmarks), typeof(OtlpBenchmarks)]).Run(arguments);
            return 0;
        });
        return command;
    }
}
