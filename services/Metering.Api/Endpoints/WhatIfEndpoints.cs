using Metering.Contracts;
using Metering.Ledger;
using Metering.Ledger.Catalog;
using Metering.Ledger.Model;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Metering.Api.Endpoints;

/// <summary>
/// <c>POST /v1/tenants/{tenantId}/what-if</c>: the migration math. Every billed event of a cycle is priced again, in
/// ledger order and from empty tier counters, as if it had been sent to another provider/model, with the same
/// pricing code the consumer uses.
/// </summary>
public static class WhatIfEndpoints
{
    public static void Map(RouteGroupBuilder tenant) =>
        tenant.MapPost("/what-if", WhatIf)
            .WithSummary("Reprice a cycle's usage as another provider/model: {\"cycle\": \"current\", \"as\": \"deepinfra/deepseek-v4-pro\", \"from\": \"deepseek/deepseek-v4-pro\" (optional: only that traffic)}.");

    private static async Task<Results<Ok<WhatIfResult>, ValidationProblem>> WhatIf(
        string tenantId, WhatIfRequest request, LedgerDbContext db, CatalogStore catalogs, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = await TenantEndpoints.SettingsAsync(db, tenantId, cancellationToken);
        if (!Inputs.TryCycle(request.Cycle ?? "current", settings, time.GetUtcNow(), out var cycle, out var problem))
        {
            return problem!;
        }

        if (!TryPair(request.As, out var target))
        {
            return Problems.Invalid("as", $"{Problems.Quote(request.As)} is not PROVIDER/MODEL, e.g. deepinfra/deepseek-v4-pro");
        }

        (string Provider, string Model)? only = null;
        if (request.From is not null)
        {
            if (!TryPair(request.From, out var from))
            {
                return Problems.Invalid("from", $"{Problems.Quote(request.From)} is not PROVIDER/MODEL");
            }

            only = from;
        }

        var catalog = await catalogs.CurrentAsync(cancellationToken);
        if (!catalog.Knows(target.Provider, target.Model))
        {
            return Problems.Invalid("as", $"{target.Provider}/{target.Model} is not in the catalog");
        }

        var session = new PricingSession(catalog, _ => settings);
        var byModel = new Dictionary<(string, string), (long Events, decimal Current, decimal Repriced)>();
        var unpriced = 0L;
        var start = cycle.StartDate;
        var entries = db.LedgerEntries.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Cycle == start && e.Kind != EntryKind.Reversal)
            .OrderBy(e => e.Id)
            .AsAsyncEnumerable();
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var moves = only is null || (entry.Provider, entry.Model) == only;
            var usage = new TokenUsage
            {
                EventId = entry.EventId,
                TenantId = tenantId,
                Provider = moves ? target.Provider : entry.Provider,
                Model = moves ? target.Model : entry.Model,
                PromptTokens = entry.PromptTokens,
                CompletionTokens = entry.CompletionTokens,
                CachedTokens = entry.CachedTokens,
                CacheWriteTokens = entry.CacheWriteTokens,
                MaxTokens = entry.MaxTokens,
                OccurredAt = entry.OccurredAt,
            };
            var repriced = session.Price(usage).Priced?.Price.Cost;
            if (repriced is null)
            {
                unpriced++;
            }

            var key = (entry.Provider, entry.Model);
            var totals = byModel.GetValueOrDefault(key);
            byModel[key] = (totals.Events + 1, totals.Current + entry.Cost, totals.Repriced + (repriced ?? entry.Cost));
        }

        var current = byModel.Values.Sum(m => m.Current);
        var repricedTotal = byModel.Values.Sum(m => m.Repriced);
        return TypedResults.Ok(new WhatIfResult(
            tenantId,
            cycle.Name,
            $"{target.Provider}/{target.Model}",
            only is null ? null : $"{only.Value.Provider}/{only.Value.Model}",
            byModel.Values.Sum(m => m.Events),
            unpriced,
            Money.Format(current),
            Money.Format(repricedTotal),
            Money.Format(repricedTotal - current),
            [.. byModel.OrderBy(m => m.Key.Item1, StringComparer.Ordinal).ThenBy(m => m.Key.Item2, StringComparer.Ordinal)
                .Select(m => new WhatIfModel(m.Key.Item1, m.Key.Item2, m.Value.Events, Money.Format(m.Value.Current), Money.Format(m.Value.Repriced)))]));
    }

    private static bool TryPair(string? text, out (string Provider, string Model) pair)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        pair = slash > 0 && slash < text!.Length - 1 ? (text[..slash], text[(slash + 1)..]) : default;
        return slash > 0 && slash < text!.Length - 1;
    }
}
