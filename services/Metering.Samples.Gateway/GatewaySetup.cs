using System.Net.Http.Json;
using Metering.Hosting;
using Metering.Producer;
using Metering.Throttling;
using Microsoft.Extensions.Options;

namespace Metering.Samples.Gateway;

public static class GatewaySetup
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var rabbit = builder.Configuration.RequiredUri(Settings.RabbitMqUri, "amqp://guest:guest@127.0.0.1:5672/");

        builder.Services.AddTokenUsagePublisher(publisher =>
        {
            publisher.Uri = rabbit;
            publisher.BatchSize = 50;
            publisher.BatchLinger = TimeSpan.FromMilliseconds(200);
            publisher.ClientName = "sample-gateway";
        });
        builder.Services.AddMeteringThrottling(throttling =>
        {
            throttling.RabbitMq = rabbit;
            throttling.Api = gateway.ApiUrl;
            throttling.ApiKey = gateway.ApiKey;
            // Each tenant's contract: generous enough that only a throttle, never the contract, slows normal traffic.
            throttling.PermitsPerSecondFor = tenant => Math.Max(10, 3 * (gateway.Tenants.FirstOrDefault(t => t.TenantId == tenant)?.RequestsPerSecond ?? 0));
            throttling.Burst = 20;
        });
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

    /// <summary>The demo's budgets, set through the ledger API once it answers.</summary>
    private sealed class BudgetSetter(IOptions<GatewayOptions> options, IHttpClientFactory http, ILogger<BudgetSetter> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var gateway = options.Value;
            if (!gateway.SetBudgets)
            {
                return;
            }

            using var client = http.CreateClient(nameof(BudgetSetter));
            client.BaseAddress = gateway.ApiUrl;
            client.DefaultRequestHeaders.Authorization = new("Bearer", gateway.ApiKey);
            foreach (var tenant in gateway.Tenants.Where(t => t.Budget is not null))
            {
                for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
                {
                    try
                    {
                        var response = await client.PutAsJsonAsync($"v1/tenants/{tenant.TenantId}/budget", new { amount = tenant.Budget }, stoppingToken);
                        response.EnsureSuccessStatusCode();
                        logger.LogInformation("Budget of {TenantId} set to {Budget}", tenant.TenantId, tenant.Budget);
                        break;
                    }
                    catch (HttpRequestException e) when (attempt < 30)
                    {
                        logger.LogInformation("The ledger API is not answering yet ({Error}); retrying", e.Message);
                        await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                    }
                }
            }
        }
    }
}
