using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Metering.IntegrationTests;

/// <summary>A missing or wrong setting stops a service at start, with a message that names the setting.</summary>
public sealed class ConfigurationTests
{
    private static readonly Dictionary<string, string> Valid = new()
    {
        ["ConnectionStrings:Ledger"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x",
        ["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:1/",
        ["Serilog:MinimumLevel:Default"] = "Fatal",
    };

    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        { "worker", "ConnectionStrings:Ledger", "", "ConnectionStrings:Ledger is missing" },
        { "worker", "RabbitMq:Uri", "", "RabbitMq:Uri is missing" },
        { "worker", "RabbitMq:Uri", "http://broker:5672", "RabbitMq:Uri must be an AMQP URI" },
        { "worker", "Metering:BatchMessageLimit", "0", "Metering:BatchMessageLimit must be between 1 and 10000" },
        { "worker", "Metering:BatchMessageLimit", "lots", "Metering:BatchMessageLimit" },
        { "worker", "Metering:GracePeriod", "72:00:00", "Metering:GracePeriod must be between 0 and 31 days" },
        { "worker", "Metering:ConcurrentBatches", "100", "Metering:ConcurrentBatches" },
        { "budget", "Budget:SlowdownRateFactor", "2", "Budget:SlowdownRateFactor must be between 0 and 1" },
        { "budget", "Budget:TickInterval", "00:00:00", "Budget:TickInterval must be between 1 second and 1 hour" },
        { "budget", "ConnectionStrings:Ledger", " ", "ConnectionStrings:Ledger is missing" },
        { "api", "ConnectionStrings:Ledger", "", "ConnectionStrings:Ledger is missing" },
        { "api", "Metering:GracePeriod", "-1.00:00:00", "Metering:GracePeriod" },
        { "api", "Webhooks:SecretKey", "c2hvcnQ=", "Webhooks:SecretKey must be 32 bytes in base64" },
        { "budget", "Webhooks:SecretKey", "not a key", "Webhooks:SecretKey must be 32 bytes in base64" },
        { "budget", "Webhooks:RetryFor", "00:00:10", "Webhooks:RetryFor must be between 1 minute and 7 days" },
        { "gateway", "Gateway:ApiUrl", "", "Gateway:ApiUrl is required" },
        { "gateway", "RabbitMq:Uri", "not a uri", "RabbitMq:Uri must be an AMQP URI" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_stops_the_service_at_start_naming_the_setting(string service, string key, string value, string message)
    {
        var settings = new Dictionary<string, string>(Valid) { [key] = value };

        var failure = Assert.ThrowsAny<Exception>(() => Start(service, settings));

        Assert.Contains(message, Describe(failure), StringComparison.Ordinal);
    }

    private static void Start(string service, Dictionary<string, string> settings)
    {
        switch (service)
        {
            case "worker": Boot(new Factory<Metering.Worker.WorkerOptions>(settings)); break;
            case "budget": Boot(new Factory<Metering.Budget.BudgetOptions>(settings)); break;
            case "api": Boot(new Factory<Metering.Api.Access.ApiOptions>(settings)); break;
            default: Boot(new Factory<Metering.Samples.Gateway.GatewayOptions>(settings)); break;
        }
    }

    /// <summary>
    /// Starts the service; what it throws is what the test reads. A host that failed to start may already be torn
    /// down, and disposing the factory then throws <see cref="ObjectDisposedException"/>, which must not hide it.
    /// </summary>
    private static void Boot<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        try
        {
            _ = factory.Server;
        }
        finally
        {
            try
            {
                factory.Dispose();
            }
            catch (ObjectDisposedException)
            {
                // already torn down by the failed start
            }
        }
    }

    private static string Describe(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Describe(e.InnerException);

    private sealed class Factory<T>(Dictionary<string, string> settings) : WebApplicationFactory<T>
        where T : class
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
