using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Metering.Throttling;

public static class ThrottlingSetup
{
    /// <summary>The throttle book, its listener (bootstrap + <c>metering.throttle</c>) and a <see cref="PartitionedRateLimiter{String}"/> keyed by tenant.</summary>
    public static IServiceCollection AddMeteringThrottling(this IServiceCollection services, Action<ThrottlingOptions> configure)
    {
        var options = new ThrottlingOptions();
        configure(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddHttpClient();
        services.AddSingleton<ThrottleBook>();
        services.AddSingleton<ThrottleListener>();
        services.AddHostedService(provider => provider.GetRequiredService<ThrottleListener>());
        services.AddSingleton(provider => CreateLimiter<string>(provider, tenantId => tenantId));
        return services;
    }

    /// <summary>A partitioned limiter over any resource, keyed by the tenant <paramref name="tenantOf"/> finds in it.</summary>
    public static PartitionedRateLimiter<TResource> CreateLimiter<TResource>(IServiceProvider services, Func<TResource, string?> tenantOf)
    {
        var book = services.GetRequiredService<ThrottleBook>();
        var options = services.GetRequiredService<ThrottlingOptions>();
        var time = services.GetRequiredService<TimeProvider>();
        return PartitionedRateLimiter.Create<TResource, string>(resource => tenantOf(resource) is { } tenant
            ? RateLimitPartition.Get(tenant, key => new TenantRateLimiter(key, book, options, time))
            : RateLimitPartition.GetNoLimiter(string.Empty));
    }

    /// <summary>
    /// ASP.NET Core's rate-limiting middleware, limiting each request by its tenant's throttle: 429 with Retry-After
    /// when refused. Call <c>app.UseRateLimiter()</c> too.
    /// </summary>
    public static IServiceCollection AddMeteringRateLimiter(this IServiceCollection services, Func<HttpContext, string?> tenantOf)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((limiter, provider) =>
        {
            limiter.GlobalLimiter = CreateLimiter(provider, tenantOf);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
        });
        return services;
    }
}
