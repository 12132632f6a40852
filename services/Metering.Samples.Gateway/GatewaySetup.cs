using Metering.Hosting;
using Metering.Producer;
using Metering.Samples.Gateway.Traffic;
using Metering.Throttling;
using Microsoft.Extensions.Options;

namespace Metering.Samples.Gateway;

public static class GatewaySetup
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var broker = RabbitMqBroker.From(builder.Configuration);

        builder.Services.AddTokenUsagePublisher(publisher =>
        {
            publisher.Uri = broker.Uri;
            foreach (var node in broker.Nodes.Skip(1))
            {
                publisher.Nodes.Add(node);
            }

            publisher.BatchSize = 50;
            publisher.BatchLinger = TimeSpan.FromMilliseconds(200);
            publisher.ClientName = "sample-gateway";
        });
        builder.Services.AddMeteringThrottling(throttling =>
        {
            throttling.RabbitMq = broker.Uri;
            foreach (var node in broker.Nodes.Skip(1))
            {
                throttling.Nodes.Add(node);
            }

            throttling.Api = gateway.ApiUrl;
            throttling.ApiKey = gateway.ApiKey;
            // Each tenant's contract: generous enough that only a throttle, never the contract, slows normal traffic.
            throttling.PermitsPerSecondFor = tenant => Math.Max(10, 3 * (gateway.Tenants.FirstOrDefault(t => t.TenantId == tenant)?.RequestsPerSecond ?? 0));
            throttling.Burst = 20;
        });
        builder.Services.AddSingleton<GenAiSpans>();
        builder.Services.AddSingleton<GatewayStatus>();
        builder.Services.AddHostedService<BudgetSetter>();
        builder.Services.AddHostedService<TrafficGenerator>();
        return builder;
    }

    /// <summary><c>GET /status</c>: per tenant, calls served and throttled, and the throttle in force.</summary>
    public static WebApplication MapGatewayStatus(this WebApplication app)
    {
        app.MapGet("/status", (GatewayStatus status, ThrottleBook book) => status.Counts.OrderBy(c => c.Key).Select(c => new
        {
            tenantId = c.Key,
            served = c.Value.Served,
            throttled = c.Value.Throttled,
            throttle = book.For(c.Key)?.Level.ToString().ToLowerInvariant() ?? "normal",
        }));
        return app;
    }
}
