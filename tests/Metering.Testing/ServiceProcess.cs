using System.Diagnostics;

namespace Metering.Testing;

/// <summary>
/// A Metering service (Worker, Api, Budget…) as a separate operating-system process, run from its own build output,
/// so a test can kill it the hard way and a benchmark can give it its own process.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    private bool disposed;

    private ServiceProcess(Process process) => this.process = process;

    public bool HasExited => process.HasExited;

    /// <summary>The process's resident memory, from /proc.</summary>
    public long ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, output.TakeLast(40));

    /// <summary>Everything the process wrote that is kept (its last 200 lines).</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>Waits for the process to end by itself, its output read to the end; its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var waiting = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(waiting.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process did not exit within {timeout}; it wrote:{Environment.NewLine}{RecentOutput}");
        }

        return process.ExitCode;
    }

    /// <param name="service">The project name, e.g. <c>Metering.Worker</c>.</param>
    /// <param name="settings">Configuration keys (<c>a:b</c>) and values, passed as environment variables.</param>
    public static ServiceProcess Start(string service, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var dll = Path.Combine(RepositoryRoot(), "services", service, "bin", BuildConfiguration(), "net10.0", service + ".dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment.TryAdd("Urls", "http://127.0.0.1:0");
        var worker = new ServiceProcess(Process.Start(start)!);
        worker.process.OutputDataReceived += (_, line) => worker.Capture(line.Data);
        worker.process.ErrorDataReceived += (_, line) => worker.Capture(line.Data);
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200)
        {
            output.TryDequeue(out _);
        }
    }

    /// <summary>SIGKILL: no graceful stop, no acknowledgements flushed, no finally blocks.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Metering.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Metering.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Debug or Release: whatever the calling assembly was built as.</summary>
    private static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
