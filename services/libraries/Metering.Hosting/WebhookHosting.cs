using Metering.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Metering.Hosting;

/// <summary>Webhook alerts in a service: settings of section <c>Webhooks</c>, sealed secrets, and sending.</summary>
public static class WebhookHosting
{
    /// <summary>What sealing secrets and attempting deliveries take; the delivery loop itself is <see cref="AddMeteringWebhookDelivery"/>.</summary>
    public static WebApplicationBuilder AddMeteringWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.SecretKey) || WebhookSecrets.IsKey(o.SecretKey), "Webhooks:SecretKey must be 32 bytes in base64, e.g. the output of: openssl rand -base64 32")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookDeliveries>();
        return builder;
    }

    /// <summary>The delivery loop (<see cref="WebhookDispatcher"/>), with what it needs.</summary>
    public static WebApplicationBuilder AddMeteringWebhookDelivery(this WebApplicationBuilder builder)
    {
        builder.AddMeteringWebhooks();
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
