using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.IntegrationTests.Harness;

/// <summary>
/// A real service (its own Program and wiring; <typeparamref name="TEntryPoint"/> is any type of its assembly) in this
/// process, against the test's database and vhost, with the test's clock when it gives one.
/// </summary>
public sealed class ServiceInstance<TEntryPoint>(MeteringEnvironment environment, TimeProvider? clock, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>Starts the host: its bus is connected and its queues bound when this returns.</summary>
    public ServiceInstance<TEntryPoint> Start()
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
