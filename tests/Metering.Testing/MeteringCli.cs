using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Metering.Testing;

/// <summary>Runs the real <c>metering</c> command as a separate process, the way a user does.</summary>
public static class MeteringCli
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "metering.dll");

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public static async Task<IReadOnlyList<JsonObject>> PriceAsync(string input, params string[] args)
    {
        var (exit, output, error) = await RunAsync(input, ["price", .. args]);
        Assert.True(exit == 0, $"metering price exited {exit}: {error}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }
}
