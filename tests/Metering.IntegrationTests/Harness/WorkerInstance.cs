using Metering.Worker;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.IntegrationTests.Harness;

/// <summary>The real metering consumer (its own Program and wiring) in this process, against the test's database and vhost.</summary>
public sealed class WorkerInstance(MeteringEnvironment environment, TimeProvider? clock, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<WorkerOptions>
{
    /// <summary>Starts the host and waits until the bus is connected and the queue bound.</summary>
    public WorkerInstance Start()
    {
        _ = Server;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in environment.ServiceSettings().Concat(settings))
        {
            builder.UseSetting(key, value);
        }

        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
