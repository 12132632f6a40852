using Metering.Budget;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.IntegrationTests.Harness;

/// <summary>The real budget saga (its own Program and wiring) in this process, against the test's database and vhost.</summary>
public sealed class BudgetInstance(MeteringEnvironment environment, TimeProvider? clock, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<BudgetOptions>
{
    public BudgetInstance Start()
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
