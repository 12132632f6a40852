using Metering.Api.Access;
using Metering.Ledger.Catalog;
using Metering.Pricing.Catalog;
using Metering.Pricing.Catalog.Community;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api.Endpoints;

/// <summary>
/// <c>/v1/catalog</c>: the current catalog, paged and filtered; adding effective-dated prices one by one or by importing
/// a community dataset (SPEC §13). Published entries are never edited.
/// </summary>
public static class CatalogEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/catalog", Get).WithSummary(
            "The catalog in the JSON form of SPEC §4 and §13, paged: prices in catalog order, filtered by provider (exact) and model (a case-insensitive substring of the model or its rule); limit (1–1000, default 100), cursor = the previous page's nextCursor.");
        v1.MapPost("/catalog/import", Import).RequireAuthorization(Policies.Admin).DisableAntiforgery()
            .WithSummary("Import a community price dataset (from=genai-prices: the JSON infra/node/extract-genai-prices.mjs writes, or the dataset's data.json) as new effective-dated entries; never edits one. Reports what it added.");
        v1.MapPost("/catalog/prices", Add).RequireAuthorization(Policies.Admin)
            .WithSummary("Add a price entry. A price change is a new entry with a later effectiveFrom; for a pair already priced it must lie in the future.");
    }

    private static async Task<Results<Ok<CatalogPage>, ValidationProblem>> Get(
        string? provider, string? model, string? limit, string? cursor, CatalogStore catalogs, CancellationToken cancellationToken)
    {
        if (!Inputs.TryLimit(limit, out var pageSize, out var problem))
        {
            return problem!;
        }

        var catalog = await catalogs.CurrentAsync(cancellationToken);
        var selected = catalog.Prices
            .Where(p => provider is null || p.Provider == provider)
            .Where(p => model is null || p.Model.Contains(model, StringComparison.OrdinalIgnoreCase)
                || (p.Match?.Text.Contains(model, StringComparison.OrdinalIgnoreCase) ?? false))
            .ToList();
        var start = 0;
        if (cursor is not null)
        {
            var after = selected.FindIndex(p => p.Id == cursor);
            if (after < 0)
            {
                return Problems.Invalid("cursor", $"{Problems.Quote(cursor)} is not an entry of this listing; pass a nextCursor as it was given");
            }

            start = after + 1;
        }

        var page = selected.Skip(start).Take(pageSize).ToList();
        var whole = CatalogJson.HeaderOf(catalog);
        return TypedResults.Ok(new CatalogPage(
            catalog.Currency,
            whole.TierSchedules,
            whole.ProviderFallbacks,
            [.. page.Select(p => (PriceDocument?)CatalogJson.ToDocument(p))],
            selected.Count,
            start + page.Count < selected.Count ? page[^1].Id : null));
    }

    private static async Task<Results<Ok<CatalogImportReport>, ValidationProblem>> Import(
        string? from, HttpRequest request, CatalogStore catalogs, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((from ?? GenAiPrices.Name) != GenAiPrices.Name)
        {
            return Problems.Invalid("from", $"{Problems.Quote(from)} is not a dataset format we import; '{GenAiPrices.Name}' is");
        }

        CommunityConversion conversion;
        try
        {
            conversion = await GenAiPrices.ConvertAsync(request.Body, cancellationToken);
        }
        catch (CatalogException e)
        {
            return Problems.Invalid("body", string.Join("; ", e.Problems));
        }

        var current = await catalogs.CurrentAsync(cancellationToken);
        var plan = ImportPlan.Of(current, conversion.Catalog, time.GetUtcNow());
        try
        {
            await catalogs.AddPricesAsync(plan.Added, plan.ProviderFallbacks, cancellationToken);
        }
        catch (CatalogException e)
        {
            return Problems.Invalid("body", string.Join("; ", e.Problems));
        }

        return TypedResults.Ok(new CatalogImportReport(
            conversion.Catalog.Prices.FirstOrDefault()?.Source ?? GenAiPrices.Name,
            conversion.Models,
            plan.Added.Count,
            [.. plan.Added.Select(p => p.Id)],
            plan.Unchanged,
            plan.Kept,
            [.. conversion.Skipped.Select(s => $"{s.Provider}/{s.Model}: {s.Reason}")],
            conversion.UnmeteredPriceKeys));
    }

    private static async Task<Results<Created<PriceDocument>, ValidationProblem, ProblemHttpResult>> Add(
        PriceDocument price, CatalogStore catalogs, TimeProvider time, CancellationToken cancellationToken)
    {
        PriceEntry entry;
        try
        {
            entry = CatalogJson.ReadEntry(System.Text.Json.JsonSerializer.Serialize(price, System.Text.Json.JsonSerializerOptions.Web));
        }
        catch (CatalogException e)
        {
            return Problems.Invalid("price", string.Join("; ", e.Problems));
        }

        var catalog = await catalogs.CurrentAsync(cancellationToken);
        if (catalog.Knows(entry.Provider, entry.Model) && entry.EffectiveFrom <= time.GetUtcNow())
        {
            return Problems.Invalid(
                "effectiveFrom",
                $"{entry.Provider}/{entry.Model} is already priced; a new price for it must take effect in the future, not {entry.EffectiveFrom:O}, so that no billed event changes price");
        }

        try
        {
            await catalogs.AddPriceAsync(entry, cancellationToken);
        }
        catch (CatalogException e)
        {
            return e.Problems.Any(p => p.Contains("entries effective from", StringComparison.Ordinal))
                ? Problems.Conflict(string.Join("; ", e.Problems))
                : Problems.Invalid("price", string.Join("; ", e.Problems));
        }

        return TypedResults.Created("/v1/catalog", CatalogJson.ToDocument(entry));
    }
}
