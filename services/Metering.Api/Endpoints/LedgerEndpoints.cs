using MassTransit;
using Metering.Api.Access;
using Metering.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api.Endpoints;

/// <summary><c>/v1/tenants/{tenantId}/ledger</c>: the entries themselves, oldest first, one keyset page at a time.</summary>
public static class LedgerEndpoints
{
    public static void Map(RouteGroupBuilder tenant)
    {
        tenant.MapGet("/ledger", Page)
            .Produces<LedgerPage>()
            .ProducesValidationProblem()
            .WithSummary("Ledger entries in ledger order. Filters: from/to (occurredAt, ISO-8601), provider, model, service. Pages: limit (1–1000), cursor = the previous page's nextCursor; hasMore says whether more entries are there now, and nextCursor can be polled later for new ones.");
        tenant.MapPost("/ledger/{entryId:long}/reverse", Reverse).RequireAuthorization(Policies.Admin)
            .WithSummary("Reverse an entry: a reversal entry that negates it, linked to it, in the same cycle's totals and invoice (as reversal lines). Nothing is re-priced: later events keep their tier positions. An entry is reversed at most once; a reversal cannot be reversed.");
    }

    private static async Task<Results<Ok<ReversalResult>, ValidationProblem, ProblemHttpResult>> Reverse(
        string tenantId, long entryId, ReversalRequest request, IRequestClient<ReverseEntry> worker, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
        {
            return Problems.Invalid("reason", "a reversal needs a reason of 1 to 500 characters, e.g. \"duplicate call billed twice by the gateway\"");
        }

        // The worker is the one writer of the ledger: it reverses, in one transaction, and answers.
        EntryReversal done;
        try
        {
            var ask = new ReverseEntry { TenantId = tenantId, EntryId = entryId, Reason = request.Reason.Trim(), RequestedBy = Caller.From(http.User).KeyId };
            done = (await worker.GetResponse<EntryReversal>(ask, cancellationToken)).Message;
        }
        catch (RequestTimeoutException)
        {
            http.Response.Headers.RetryAfter = "10";
            return Problems.Unavailable("the metering worker did not answer in time; reversing is idempotent, so ask again (it may still be done meanwhile)");
        }

        return done.Outcome switch
        {
            "reversed" => TypedResults.Ok(new ReversalResult(entryId, done.ReversalId!.Value, done.Cycle!, done.Cost!)),
            "not-found" => Problems.NotFound($"tenant {tenantId} has no ledger entry {entryId}"),
            "already-reversed" => Problems.Conflict($"entry {entryId} of tenant {tenantId} is already reversed; an entry is reversed at most once"),
            _ => Problems.Conflict($"entry {entryId} of tenant {tenantId} is itself a reversal; reversals are not reversed"),
        };
    }

    private static async Task<IResult> Page(
        string tenantId,
        string? from,
        string? to,
        string? provider,
        string? model,
        string? service,
        string? cursor,
        string? limit,
        Queries.LedgerPageQuery query,
        CancellationToken cancellationToken)
    {
        if (!Inputs.TryTime(from, "from", out var fromTime, out var problem)
            || !Inputs.TryTime(to, "to", out var toTime, out problem)
            || !Inputs.TryLimit(limit, out var pageSize, out problem)
            || !Inputs.TryCursor(cursor, out var after, out problem))
        {
            return problem!;
        }

        if (Inputs.Range(fromTime, toTime) is { } badRange)
        {
            return badRange;
        }

        var filter = new Queries.LedgerFilter(tenantId, after, fromTime, toTime, provider, model, service, pageSize);
        return Results.Stream(body => query.WriteAsync(filter, body, cancellationToken), "application/json");
    }
}
