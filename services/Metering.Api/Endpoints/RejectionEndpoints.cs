using System.Text;
using Metering.Api.Access;
using Metering.Hosting;
using Metering.Ledger;
using Metering.Ledger.Model;
using Metering.Ledger.Writing;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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
        long id,
        string? mode,
        LedgerDbContext db,
        LedgerWriter writer,
        Messaging.SpendUpdatePublisher publisher,
        TimeProvider time,
        IOptions<BillingRules> rules,
        CancellationToken cancellationToken)
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

        var rejected = await db.RejectedEvents.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rejected is null)
        {
            return Problems.NotFound($"there is no rejected event {id}");
        }

        var message = IncomingMessage.Read(rejected.Raw);
        if (message.Reads is not [{ Usage: { } usage }])
        {
            var reason = message.Reads.Count == 1 ? message.Reads[0].Rejection!.Message : $"the body holds {message.Reads.Count} events; re-drive takes one";
            return Problems.Unprocessable($"rejected event {id} still cannot be priced: {reason}");
        }

        var now = time.GetUtcNow();
        var settings = await TenantEndpoints.SettingsAsync(db, usage.TenantId, cancellationToken);
        BillingCycle? adjustInto = adjust.Value ? BillingCycle.Containing(now, settings.CycleAnchorDay) : null;
        var ownCycle = BillingCycle.Containing(usage.OccurredAt, settings.CycleAnchorDay);
        if (!adjust.Value && now >= ownCycle.End + rules.Value.GracePeriod)
        {
            return Problems.Conflict($"cycle {ownCycle.Name} of event {usage.EventId} is closed; re-drive it with mode=adjustment to bill it in the current cycle");
        }

        // As received: judged by when it first arrived, so fixing the catalog late does not make it late.
        var result = await CommitOnceAsync(writer, message, adjust.Value ? now : rejected.ReceivedAt, rules.Value.GracePeriod, now, adjustInto, cancellationToken);
        await publisher.PublishAsync(result.ToPublish, cancellationToken);

        string outcome;
        if (result.Priced.Count == 1)
        {
            outcome = adjust.Value ? "billed-as-adjustment" : "billed";
        }
        else if (result.Duplicates == 1)
        {
            outcome = "already-billed";
        }
        else
        {
            var again = result.Rejections.Single().Rejection;
            rejected.RedrivenAt = now;
            rejected.RedriveOutcome = again.Code;
            await db.SaveChangesAsync(cancellationToken);
            return Problems.Unprocessable($"rejected event {id} was rejected again ({again.Code}): {again.Message}");
        }

        var entry = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.TenantId == usage.TenantId && e.EventId == usage.EventId && e.ReversesId == null)
            .Select(e => new { e.Id, e.Cost, e.Cycle })
            .SingleAsync(cancellationToken);
        rejected.RedrivenAt = now;
        rejected.RedriveOutcome = outcome;
        rejected.LedgerEntryId = entry.Id;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new RedriveResult(id, outcome, entry.Id, entry.Cycle.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Money.Format(entry.Cost)));
    }

    /// <summary>Two re-drives at once race for the event's unique key; the loser retries and finds it billed.</summary>
    private static async Task<CommitResult> CommitOnceAsync(
        LedgerWriter writer, IncomingMessage message, DateTimeOffset receivedAt, TimeSpan grace, DateTimeOffset now, BillingCycle? adjustInto, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await writer.CommitAsync([message], receivedAt, grace, now, adjustInto, keepRejections: false, cancellationToken);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                // the other re-drive committed first
            }
        }
    }
}

public sealed record RejectionView(
    long Id, DateTimeOffset ReceivedAt, string Code, string Message, string? EventId, string? TenantId, int Position,
    string Raw, int RawLength, DateTimeOffset? RedrivenAt, string? RedriveOutcome, long? LedgerEntryId)
{
    public static RejectionView Of(RejectedEvent r) => new(
        r.Id, r.ReceivedAt, r.Code, r.Message, r.EventId, r.TenantId, r.Position,
        Encoding.UTF8.GetString(r.Raw, 0, Math.Min(r.Raw.Length, MaxRawShown)), r.Raw.Length, r.RedrivenAt, r.RedriveOutcome, r.LedgerEntryId);

    private const int MaxRawShown = 64 * 1024;
}

public sealed record RejectionPage(IReadOnlyList<RejectionView> Items, string? NextCursor);

public sealed record RedriveResult(long RejectionId, string Outcome, long LedgerEntryId, string Cycle, string Cost);
