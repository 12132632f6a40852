using System.Text.Json;
using Metering.Testing;

namespace Metering.IntegrationTests.Harness;

/// <summary>What the RabbitMQ management API says about the usage queue of an environment.</summary>
internal static class Queue
{
    /// <summary>Waits until the consumer has declared and bound its queue (a fanout exchange drops what no queue receives).</summary>
    public static async Task WaitUntilDeclaredAsync(MeteringEnvironment environment, WorkerProcess? worker = null, string name = "metering.usage")
    {
        try
        {
            await Eventually.Until(() => ExistsAsync(environment, name), exists => exists, $"queue {name} in vhost {environment.Vhost.Name}");
        }
        catch (TimeoutException e) when (worker is not null)
        {
            throw new TimeoutException($"{e.Message}; the worker wrote:{Environment.NewLine}{worker.RecentOutput}", e);
        }
    }

    private static async Task<bool> ExistsAsync(MeteringEnvironment environment, string name)
    {
        using var http = environment.Servers.ManagementClient();
        // MassTransit binds the fanout exchange to an exchange named after the queue, which is bound to the queue.
        using var response = await http.GetAsync($"api/exchanges/{Uri.EscapeDataString(environment.Vhost.Name)}/metering.token-usage/bindings/source");
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var bindings = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return bindings.RootElement.EnumerateArray().Any(b => b.GetProperty("destination").GetString() == name);
    }
}
