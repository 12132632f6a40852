using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metering.Producer;

public static class ProducerSetup
{
    /// <summary>Registers a singleton <see cref="ITokenUsagePublisher"/>.</summary>
    public static IServiceCollection AddTokenUsagePublisher(this IServiceCollection services, Action<TokenUsagePublisherOptions> configure)
    {
        var options = new TokenUsagePublisherOptions();
        configure(options);
        services.AddSingleton<ITokenUsagePublisher>(provider =>
            new RabbitMqTokenUsagePublisher(options, provider.GetService<ILogger<RabbitMqTokenUsagePublisher>>()));
        return services;
    }
}
