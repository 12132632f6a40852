using Microsoft.Extensions.Configuration;

namespace Metering.Hosting;

/// <summary>Settings a service cannot start without; a missing one stops it at once with a message naming it.</summary>
public static class Settings
{
    public const string LedgerConnection = "ConnectionStrings:Ledger";
    public const string RabbitMqUri = "RabbitMq:Uri";

    public static string Required(this IConfiguration configuration, string key, string example)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(
                $"The setting {key} is missing. Set it in appsettings.json or as the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}, e.g. {example}")
            : value;
    }

    public static Uri RequiredUri(this IConfiguration configuration, string key, string example)
    {
        var value = configuration.Required(key, example);
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "rabbitmq"
            ? uri
            : throw new InvalidOperationException($"The setting {key} must be an AMQP URI like {example}; got '{value}'");
    }
}
