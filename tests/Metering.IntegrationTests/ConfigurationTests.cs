using Metering.Testing;

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

    private static readonly Dictionary<string, string> Projects = new()
    {
        ["worker"] = "Metering.Worker",
        ["budget"] = "Metering.Budget",
        ["api"] = "Metering.Api",
        ["gateway"] = "Metering.Samples.Gateway",
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

    /// <summary>
    /// Each service as the operating system runs it, its own process: it must exit unsuccessfully, and what it wrote
    /// must name the setting. (In-process hosts raced here: a failed start tears its host down on the entry point's
    /// thread while the test host still reads it, and the test then read "Cannot access a disposed object" instead.)
    /// </summary>
    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_service_at_start_naming_the_setting(string service, string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>(Valid.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))) { [key] = value };

        await using var process = ServiceProcess.Start(Projects[service], settings);
        var exitCode = await process.ExitCodeAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, process.Output, StringComparison.Ordinal);
    }
}
