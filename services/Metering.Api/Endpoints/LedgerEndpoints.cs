
namespace Metering.Api.Endpoints;

/// <summary><c>/v1/tenants/{tenantId}/ledger</c>: the entries themselves, oldest first, one keyset page at a time.</summary>
public static class LedgerEndpoints
{
    public static void Map(RouteGroupBuilder tenant) =>
        tenant.MapGet("/ledger", Page)
            .Produces<LedgerPage>()
            .ProducesValidationProblem()
            .WithSummary("Ledger entries in ledger order. Filters: from/to (occurredAt, ISO-8601), provider, model, service. Pages: limit (1–1000), cursor = the previous page's nextCursor; hasMore says whether more entries are there now, and nextCursor can be polled later for new ones.");

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

public sealed record LedgerPage(IReadOnlyList<EntryView> Items, string? NextCursor, bool HasMore);

public sealed record EntryTokens(long Prompt, long Completion, long Cached, long CacheWrite, long? MaxTokens, long Billed, long BilledOutput);

public sealed record ChargeView(string Kind, int Tier, long Tokens, string Discount, string RatePerMillion, string Amount);

/// <summary>One ledger entry as the API serves it (written by <see cref="Queries.LedgerPageQuery"/>).</summary>
public sealed record EntryView(
    long Id,
    string EventId,
    string Kind,
    long? ReversesId,
    string Cycle,
    string Provider,
    string Model,
    string? Service,
    string? RequestId,
    IReadOnlyDictionary<string, string>? Attributes,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset PricedAt,
    EntryTokens Tokens,
    Waste ReservedOutputWaste,
    long TierPositionBefore,
    string PriceEntry,
    string TierSchedule,
    string Cost,
    IReadOnlyList<ChargeView> Charges);
