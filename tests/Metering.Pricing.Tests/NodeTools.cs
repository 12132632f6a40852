using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Metering.Pricing.Tests;

/// <summary>
/// Runs the reference scripts of <c>infra/node</c> (the dataset's own code, <c>@pydantic/genai-prices</c>) that the
/// parity tests compare with: JSON lines in on standard input, one JSON answer per line out, in the same order.
/// </summary>
public static class NodeTools
{
    public static async Task<List<JsonNode>> RunAsync(string script, IEnumerable<string> lines)
    {
        var nodeTools = Path.Combine(RepositoryRoot(), "infra", "node");
        Assert.True(
            Directory.Exists(Path.Combine(nodeTools, "node_modules", "@pydantic", "genai-prices")),
            $"the reference calculator is not installed: run 'npm ci' in {nodeTools} (infra/test.sh does)");
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = nodeTools,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = node.StandardError.ReadToEndAsync();
        var answers = node.StandardOutput.ReadToEndAsync();
        foreach (var line in lines)
        {
            await node.StandardInput.WriteLineAsync(line);
        }

        node.StandardInput.Close();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"{script} failed: {await errors}");
        return [.. (await answers).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Metering.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
