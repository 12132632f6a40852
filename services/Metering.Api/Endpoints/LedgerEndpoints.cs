using Metering.Ledger;
using Metering.Ledger.Model;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Metering.Api.Endpoints;

/// <summary><c>/v1/tenants/{tenantId}/ledger</c>: the entries themselves, oldest first, one keyset page at a time.</summary>
public static class LedgerEndpoints
{
    public static void Map(RouteGroupBuilder tenant) =>
        tenant.MapGet("/ledger", Page)
            .WithSummary("Ledger entries in ledger order. Filters: from/to (occurredAt, ISO-8601), provider, model, service. Pages: limit (1–1000), cursor = the previous page's nextCursor; hasMore says whether more entries are there now, and nextCursor can be polled later for new ones.");

    private static async Task<Results<Ok<LedgerPage>, ValidationProblem>> Page(
        string tenantId,
        string? from,
        string? to,
        string? provider,
        string? model,
        string? service,
        string? cursor,
        string? limit,
        LedgerDbContext db,
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

        var query = db.LedgerEntries.AsNoTracking().Where(e => e.TenantId == tenantId);
        if (after is { } afterId)
        {
            query = query.Where(e => e.Id > afterId);
        }

        if (fromTime is { } f)
        {
            query = query.Where(e => e.OccurredAt >= f);
        }

        if (toTime is { } t)
        {
            query = query.Where(e => e.OccurredAt < t);
        }

        if (provider is not null)
        {
            query = query.Where(e => e.Provider == provider);
        }

        if (model is not null)
        {
            query = query.Where(e => e.Model == model);
        }

        if (service is not null)
        {
            query = query.Where(e => e.Service == service);
        }

        var entries = await query.OrderBy(e => e.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = entries.Take(pageSize).ToList();
        var next = page.Count > 0 ? Inputs.Cursor(page[^1].Id) : cursor;
        return TypedResults.Ok(new LedgerPage([.. page.Select(EntryView.Of)], next, entries.Count > pageSize));
    }
}

/// <summary>A page of entries. <c>nextCursor</c> points after the last entry (to tail the ledger, poll it); <c>hasMore</c> says whether more are there now.</summary>
public sealed record LedgerPage(IReadOnlyList<EntryView> Items, string? NextCursor, bool HasMore);

public sealed record EntryTokens(long Prompt, long Completion, long Cached, long CacheWrite, long? MaxTokens, long Billed, long BilledOutput);

public sealed record ChargeView(string Kind, int Tier, long Tokens, string Discount, string RatePerMillion, string Amount);

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
    IReadOnlyList<ChargeView> Charges)
{
    public static EntryView Of(LedgerEntry e) => new(
        e.Id,
        e.EventId,
        e.Kind.ToString().ToLowerInvariant(),
        e.ReversesId,
        e.Cycle.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        e.Provider,
        e.Model,
        e.Service,
        e.RequestId,
        e.Attributes,
        e.OccurredAt,
        e.ReceivedAt,
        e.PricedAt,
        new EntryTokens(e.PromptTokens, e.CompletionTokens, e.CachedTokens, e.CacheWriteTokens, e.MaxTokens, e.BilledTokens, e.BilledOutputTokens),
        new Waste(e.ReservedOutputWaste, Money.Format(e.ReservedOutputWasteCost)),
        e.TierPositionBefore,
        e.PriceEntryId,
        e.TierSchedule,
        Money.Format(e.Cost),
        [.. e.Charges.Select(c => new ChargeView(c.Kind, c.Tier, c.Tokens, Money.Format(c.Discount), Money.Format(c.RatePerMillion), Money.Format(c.Amount)))]);
}
