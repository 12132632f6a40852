using System.Security.Cryptography;
using Metering.Api.Access;
using Metering.Api.Endpoints;
using Metering.Ledger;
using Metering.Ledger.Model;
using Metering.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metering.Api.Webhooks;

/// <summary>
/// <c>/v1/webhooks</c>, admin only (SPEC §15): endpoints and the event types they subscribe to, the delivery log of
/// each with its attempts, and re-sending one delivery.
/// </summary>
public static class WebhookEndpoints
{
    private const string DisabledByAdmin = "disabled by an admin";

    public static void Map(RouteGroupBuilder v1)
    {
        var webhooks = v1.MapGroup("/webhooks").RequireAuthorization(Policies.Admin).WithTags("webhooks");
        webhooks.MapPost("", Create)
            .WithSummary("Register an endpoint: url, tenantId (absent for every tenant), eventTypes. The answer holds its signing secret (whsec_…), shown this once.");
        webhooks.MapGet("", List).WithSummary("Every endpoint, oldest first; tenantId filters to the endpoints of one tenant.");
        webhooks.MapGet("/{id:guid}", Get).WithSummary("One endpoint: its subscription and state (disabled, and why).");
        webhooks.MapPut("/{id:guid}", Change)
            .WithSummary("Change an endpoint's url, tenant, event types and description; enabled=false disables it, enabled=true enables it again.");
        webhooks.MapDelete("/{id:guid}", Delete).WithSummary("Delete an endpoint with its deliveries and their attempts.");
        webhooks.MapGet("/{id:guid}/deliveries", Deliveries)
            .WithSummary("The endpoint's deliveries, newest first, each with its attempts; status filters (pending, delivered, failed).");
        webhooks.MapGet("/{id:guid}/deliveries/{deliveryId:long}", Delivery).WithSummary("One delivery with its attempts.");
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:long}/resend", Resend)
            .WithSummary("Attempt a delivery again now, with the same webhook-id, whatever its status; answers with the delivery and the new attempt.");
    }

    private static async Task<Results<Created<WebhookEndpointView>, ValidationProblem, ProblemHttpResult>> Create(
        WebhookEndpointRequest request, LedgerDbContext db, WebhookSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        if (WebhookInputs.Check(request) is { } problem)
        {
            return problem;
        }

        if (!secrets.IsConfigured)
        {
            return NoSecretKey();
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = id,
            Url = request.Url!,
            TenantId = request.TenantId,
            EventTypes = WebhookInputs.TypesOf(request),
            Description = request.Description,
            Secret = secrets.Seal(id, secret),
            CreatedAt = now,
            UpdatedAt = now,
            DisabledAt = request.Enabled == false ? now : null,
            DisabledReason = request.Enabled == false ? DisabledByAdmin : null,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/webhooks/{id}", WebhookEndpointView.Of(endpoint) with { Secret = secret });
    }

    private static async Task<Results<Ok<List<WebhookEndpointView>>, ValidationProblem>> List(string? tenantId, LedgerDbContext db, CancellationToken cancellationToken)
    {
        if (tenantId is not null && Inputs.TenantId(tenantId) is { } problem)
        {
            return problem;
        }

        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => tenantId == null || e.TenantId == tenantId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(endpoints.Select(WebhookEndpointView.Of).ToList());
    }

    private static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> Get(Guid id, LedgerDbContext db, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken) is { } endpoint
            ? TypedResults.Ok(WebhookEndpointView.Of(endpoint))
            : NoEndpoint(id);

    private static async Task<Results<Ok<WebhookEndpointView>, ValidationProblem, ProblemHttpResult>> Change(
        Guid id, WebhookEndpointRequest request, LedgerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (WebhookInputs.Check(request) is { } problem)
        {
            return problem;
        }

        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NoEndpoint(id);
        }

        var now = time.GetUtcNow();
        endpoint.Url = request.Url!;
        endpoint.TenantId = request.TenantId;
        endpoint.EventTypes = WebhookInputs.TypesOf(request);
        endpoint.Description = request.Description;
        endpoint.UpdatedAt = now;
        if (request.Enabled == true)
        {
            (endpoint.DisabledAt, endpoint.DisabledReason, endpoint.FailingSince) = (null, null, null);
        }
        else if (request.Enabled == false && endpoint.DisabledAt is null)
        {
            (endpoint.DisabledAt, endpoint.DisabledReason) = (now, DisabledByAdmin);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WebhookEndpointView.Of(endpoint));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, LedgerDbContext db, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken) == 0 ? NoEndpoint(id) : TypedResults.NoContent();

    private static async Task<Results<Ok<WebhookDeliveryPage>, ValidationProblem, ProblemHttpResult>> Deliveries(
        Guid id, string? status, string? cursor, string? limit, LedgerDbContext db, CancellationToken cancellationToken)
    {
        if (!Inputs.TryLimit(limit, out var pageSize, out var problem) || !Inputs.TryCursor(cursor, out var before, out problem))
        {
            return problem!;
        }

        if (status is not (null or "pending" or "delivered" or "failed"))
        {
            return Problems.Invalid("status", $"{Problems.Quote(status)} is not a delivery status: pending, delivered or failed");
        }

        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return NoEndpoint(id);
        }

        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id && (status == null || d.Status == status) && (before == null || d.Id < before));
        var page = await ViewsAsync(db, deliveries.OrderByDescending(d => d.Id).Take(pageSize + 1), cancellationToken);
        return TypedResults.Ok(new WebhookDeliveryPage(page.Take(pageSize).ToList(), page.Count > pageSize ? Inputs.Cursor(page[pageSize - 1].Id) : null));
    }

    private static async Task<Results<Ok<WebhookDeliveryView>, ProblemHttpResult>> Delivery(Guid id, long deliveryId, LedgerDbContext db, CancellationToken cancellationToken) =>
        await OneAsync(db, id, deliveryId, cancellationToken) is { } delivery ? TypedResults.Ok(delivery) : NoDelivery(id, deliveryId);

    private static async Task<Results<Ok<WebhookDeliveryView>, ProblemHttpResult>> Resend(
        Guid id, long deliveryId, WebhookDeliveries deliveries, LedgerDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            if (await deliveries.ResendAsync(id, deliveryId, cancellationToken) is null)
            {
                return NoDelivery(id, deliveryId);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problems.Conflict($"delivery {deliveryId} is being attempted by the delivery loop at this moment; ask again in a few seconds");
        }
        catch (CryptographicException e)
        {
            return Problems.Unavailable($"the endpoint's signing secret cannot be opened: {e.Message}");
        }

        return TypedResults.Ok((await OneAsync(db, id, deliveryId, cancellationToken))!);
    }

    private static async Task<WebhookDeliveryView?> OneAsync(LedgerDbContext db, Guid id, long deliveryId, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id && d.Id == deliveryId), cancellationToken)).SingleOrDefault();

    /// <summary>The deliveries of <paramref name="query"/>, in its order, with their events and attempts (three queries, whatever the page size).</summary>
    private static async Task<List<WebhookDeliveryView>> ViewsAsync(LedgerDbContext db, IQueryable<WebhookDelivery> query, CancellationToken cancellationToken)
    {
        var deliveries = await query.ToListAsync(cancellationToken);
        var ids = deliveries.Select(d => d.Id).ToList();
        var eventIds = deliveries.Select(d => d.EventId).Distinct().ToList();
        var events = await db.WebhookEvents.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(cancellationToken)).ToLookup(a => a.DeliveryId);
        return deliveries.Select(d => WebhookDeliveryView.Of(d, events[d.EventId], attempts[d.Id])).ToList();
    }

    private static ProblemHttpResult NoEndpoint(Guid id) => Problems.NotFound($"there is no webhook endpoint {id}");

    private static ProblemHttpResult NoDelivery(Guid id, long deliveryId) => Problems.NotFound($"webhook endpoint {id} has no delivery {deliveryId}");

    private static ProblemHttpResult NoSecretKey() =>
        Problems.Unavailable("webhooks are not set up on this service: the setting Webhooks:SecretKey (32 bytes in base64) seals endpoint secrets and is missing");
}
