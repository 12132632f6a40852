using Metering.Api.Access;
using MassTransit;
using Metering.Contracts;
using Metering.Ledger;
using Metering.Pricing.Usage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Metering.Api.Endpoints;

/// <summary><c>/v1/rejections</c>: events that were not billed, and re-driving one (SPEC §7).</summary>
public static class RejectionEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/rejections", List).WithSummary("Rejected events, newest first. Filters: code, tenantId. A tenant key sees only its own tenant's.");
        v1.MapPost("/rejections/{id:long}/redrive", Redrive).RequireAuthorization(Policies.Admin)
            .WithSummary("Price a rejected event again: mode=as-received (after a catalog fix; its cycle must still be open) or mode=adjustment (into the current cycle). It is billed at most once, however often it is re-driven.");
    }

    private static async Task<Results<Ok<RejectionPage>, ValidationProblem>> List(
        string? code, string? tenantId, string? cursor, string? limit, HttpContext http, LedgerDbContext db, CancellationToken cancellationToken)
    {
        if (!Inputs.TryLimit(limit, out var pageSize, out var problem) || !Inputs.TryCursor(cursor, out var before, out problem))
        {
            return problem!;
        }

        var caller = Caller.From(http.User);
        var query = db.RejectedEvents.AsNoTracking();
        if (!caller.ReadsEveryTenant)
        {
            query = query.Where(r => r.TenantId == caller.TenantId);
        }

        if (tenantId is not null)
        {
            query = query.Where(r => r.TenantId == tenantId);
        }

        if (code is not null)
        {
            query = query.Where(r => r.Code == code);
        }

        if (before is { } beforeId)
        {
            query = query.Where(r => r.Id < beforeId);
        }

        var rows = await query.OrderByDescending(r => r.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).Select(RejectionView.Of).ToList();
        return TypedResults.Ok(new RejectionPage(page, rows.Count > pageSize ? Inputs.Cursor(rows[pageSize - 1].Id) : null));
    }

    private static async Task<Results<Ok<RedriveResult>, ValidationProblem, ProblemHttpResult>> Redrive(
        long id, string? mode, IRequestClient<RedriveRejection> worker, LedgerDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var adjust = mode switch
        {
            null or "as-received" => false,
            "adjustment" => true,
            _ => (bool?)null,
        };
        if (adjust is null)
        {
            return Problems.Invalid("mode", $"{Problems.Quote(mode)} is not a mode: as-received or adjustment");
        }

        // An id that was never a rejection is answered here; the worker checks again inside its transaction.
        if (!await db.RejectedEvents.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"there is no rejected event {id}");
        }

        // The worker is the one writer of the ledger: it re-drives, in one transaction, and answers.
        RedriveCompleted done;
        try
        {
            done = (await worker.GetResponse<RedriveCompleted>(new RedriveRejection { RejectionId = id, AsAdjustment = adjust.Value }, cancellationToken)).Message;
        }
        catch (RequestTimeoutException)
        {
            http.Response.Headers.RetryAfter = "10";
            return Problems.Unavailable("the metering worker did not answer in time; re-driving is idempotent, so ask again (it may still be done meanwhile)");
        }

        if (done.Outcome == "not-found")
        {
            return Problems.NotFound($"there is no rejected event {id}");
        }

        if (done.Outcome == "unreadable")
        {
            return Problems.Unprocessable($"rejected event {id} still cannot be priced: {done.Message}");
        }

        if (done.Outcome == "rejected")
        {
            return !adjust.Value && done.Code == RejectionCodes.CycleClosed
                ? Problems.Conflict($"the cycle of rejected event {id} is closed: {done.Message}; re-drive it with mode=adjustment to bill it in the current cycle")
                : Problems.Unprocessable($"rejected event {id} was rejected again ({done.Code}): {done.Message}");
        }

        return TypedResults.Ok(new RedriveResult(id, done.Outcome, done.LedgerEntryId!.Value, done.Cycle!, done.Cost!));
    }
}
