using Metering.Api.Access;
using Metering.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api.Endpoints;

/// <summary><c>/v1/throttles</c>: the throttle command in force for every tenant that has one.</summary>
public static class ThrottleEndpoints
{
    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/throttles", Current)
            .WithSummary("The newest throttle command of every tenant (a tenant key: its own). Rate limiters bootstrap from this, then follow metering.throttle.");

    private static async Task<Ok<List<ThrottleCommand>>> Current(HttpContext http, Messaging.ThrottleStates states, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        return TypedResults.Ok(await states.CurrentAsync(caller.ReadsEveryTenant ? null : caller.TenantId, cancellationToken));
    }
}
