using Metering.Ledger;
using Metering.Pricing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Serilog;
using Serilog.Formatting.Compact;

namespace Metering.Hosting;

/// <summary>The wiring every Metering service shares (after eShop's service defaults).</summary>
public static class ServiceDefaults
{
    /// <summary>Serilog to the console (JSON unless <c>Logging:Format</c> is <c>text</c>), the system clock and health checks.</summary>
    public static WebApplicationBuilder AddMeteringDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", builder.Environment.ApplicationName);
            if (string.Equals(builder.Configuration["Logging:Format"], "text", StringComparison.OrdinalIgnoreCase))
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<BillingRules>().BindConfiguration(BillingRules.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.AddMeteringTelemetry();
        return builder;
    }

    /// <summary>The PostgreSQL ledger, from <c>ConnectionStrings:Ledger</c>, with a readiness check.</summary>
    public static WebApplicationBuilder AddMeteringLedger(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.Required(Settings.LedgerConnection, "Host=127.0.0.1;Username=metering;Password=…;Database=metering");
        builder.Services.AddLedger(connectionString);
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }

    /// <summary><c>/health/live</c> (the process answers), <c>/health/ready</c> (its servers answer) and <c>/metrics</c>.</summary>
    public static WebApplication MapMeteringHealth(this WebApplication app)
    {
        app.MapMeteringMetrics();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => !check.Tags.Contains("live") }).AllowAnonymous();
        return app;
    }

    /// <summary>Applies migrations at start when <c>Database:MigrateAtStart</c> is true.</summary>
    public static async Task MigrateIfConfiguredAsync(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("Database:MigrateAtStart"))
        {
            await app.Services.GetRequiredService<LedgerMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        }
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer", e);
            }
        }
    }
}
