using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Metering.Contracts;
using Microsoft.Extensions.Options;

namespace Metering.Throttling;

public static class ThrottlingSetup
{
    /// <summary>
    /// The throttle book, its listener (bootstrap + <c>metering.throttle</c>), a <see cref="PartitionedRateLimiter{String}"/>
    /// keyed by tenant (the tenant's own budget only) and a <see cref="PartitionedRateLimiter{ThrottleRequest}"/> keyed by
    /// (tenant, scope), where the strictest command matching the request wins.
    /// </summary>
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
        services.AddSingleton(provider => CreateLimiter<ThrottleRequest>(provider, request => request));
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
    /// A partitioned limiter over any resource, by the <see cref="ThrottleRequest"/> <paramref name="requestOf"/> finds
    /// in it: each request is limited by the strictest command whose scope covers it, in that (tenant, scope)'s own
    /// bucket, so a throttled service's requests slow down while the rest of the tenant's keep their rate.
    /// </summary>
    public static PartitionedRateLimiter<TResource> CreateLimiter<TResource>(IServiceProvider services, Func<TResource, ThrottleRequest?> requestOf)
    {
        var book = services.GetRequiredService<ThrottleBook>();
        var options = services.GetRequiredService<ThrottlingOptions>();
        var time = services.GetRequiredService<TimeProvider>();
        return PartitionedRateLimiter.Create<TResource, (string, BudgetScope)>(resource => requestOf(resource) is { } request
            ? RateLimitPartition.Get(
                (request.TenantId, book.For(request)?.Scope ?? BudgetScope.Tenant),
                key => new TenantRateLimiter(key.Item1, key.Item2, book, options, time))
            : RateLimitPartition.GetNoLimiter((string.Empty, BudgetScope.Tenant)));
    }

    /// <summary>
    /// ASP.NET Core's rate-limiting middleware, limiting each request by its tenant's throttle: 429 with Retry-After
    /// when refused. Call <c>app.UseRateLimiter()</c> too.
    /// </summary>
    public static IServiceCollection AddMeteringRateLimiter(this IServiceCollection services, Func<HttpContext, string?> tenantOf) =>
        services.AddMeteringRateLimiter(provider => CreateLimiter(provider, tenantOf));

    /// <summary>
    /// The middleware limiting each request by the strictest throttle of its tenant and of the budget scopes it falls in
    /// (its service, attributes, provider/model, as <paramref name="requestOf"/> reads them from the request).
    /// </summary>
    public static IServiceCollection AddMeteringRateLimiter(this IServiceCollection services, Func<HttpContext, ThrottleRequest?> requestOf) =>
        services.AddMeteringRateLimiter(provider => CreateLimiter(provider, requestOf));

    private static IServiceCollection AddMeteringRateLimiter(this IServiceCollection services, Func<IServiceProvider, PartitionedRateLimiter<HttpContext>> limiterOf)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((limiter, provider) =>
        {
            limiter.GlobalLimiter = limiterOf(provider);
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
