using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Metering.Hosting;

/// <summary>OpenTelemetry metrics for every service, scraped by Prometheus at <c>/metrics</c>.</summary>
public static class Telemetry
{
    /// <summary>The meter of every Metering service; instruments are named <c>metering.*</c>.</summary>
    public const string MeterName = "Metering";

    public static WebApplicationBuilder AddMeteringTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
            .AddMeter(MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapMeteringMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
