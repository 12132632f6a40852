using Metering.Api.Access;
using Metering.Ledger;
using Metering.Ledger.Model;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Metering.Api.Endpoints;

/// <summary><c>/v1/usage</c>: usage across tenants, from the hourly rollups.</summary>
public static class UsageEndpoints
{
    private static readonly TimeSpan LongestRange = TimeSpan.FromDays(400);

    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/usage", Usage).RequireAuthorization(Policies.Billing)
            .WithSummary("Usage of every tenant grouped by tenant, provider, model or service, over [from, to) of occurredAt, in whole hours (from and to are rounded down to the hour). Defaults: this calendar month.");

    private static async Task<Results<Ok<UsageReport>, ValidationProblem>> Usage(
        string? groupBy, string? from, string? to, LedgerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var group = groupBy ?? "tenant";
        if (group is not ("tenant" or "provider" or "model" or "service"))
        {
            return Problems.Invalid("groupBy", $"{Problems.Quote(groupBy)} is not a grouping: tenant, provider, model or service");
        }

        if (!Inputs.TryTime(from, "from", out var fromTime, out var problem) || !Inputs.TryTime(to, "to", out var toTime, out problem))
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        var start = UsageTime.HourOf(fromTime ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero));
        var end = toTime is { } t ? UsageTime.HourOf(t) : UsageTime.HourOf(now).AddHours(1);
        if (end <= start)
        {
            return Problems.Invalid("to", $"the range [{start:O}, {end:O}) is empty once rounded to hours");
        }

        if (end - start > LongestRange)
        {
            return Problems.Invalid("from", $"a range may span at most {LongestRange.TotalDays:0} days");
        }

        var hours = db.HourlyUsage.AsNoTracking().Where(h => h.Hour >= start && h.Hour < end);
        var grouped = group switch
        {
            "tenant" => hours.GroupBy(h => h.TenantId),
            "provider" => hours.GroupBy(h => h.Provider),
            "model" => hours.GroupBy(h => h.Provider + "/" + h.Model),
            _ => hours.GroupBy(h => h.Service),
        };
        var rows = await grouped
            .Select(g => new
            {
                g.Key,
                Events = g.Sum(h => h.Events),
                Prompt = g.Sum(h => h.PromptTokens),
                Completion = g.Sum(h => h.CompletionTokens),
                Cached = g.Sum(h => h.CachedTokens),
                Cost = g.Sum(h => h.Cost),
            })
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new UsageReport(
            group,
            start,
            end,
            [.. rows.OrderByDescending(r => r.Cost).Select(r => new UsageRow(r.Key, r.Events, r.Prompt, r.Completion, r.Cached, Money.Format(r.Cost)))],
            Money.Format(rows.Sum(r => r.Cost))));
    }
}
