using Metering.Api.Access;
using Metering.Ledger.Catalog;
using Metering.Pricing.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api.Endpoints;

/// <summary><c>/v1/catalog</c>: the current catalog, and adding effective-dated prices. Published entries are never edited.</summary>
public static class CatalogEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/catalog", Get).WithSummary("The catalog: every price entry and tier schedule, in the JSON form of SPEC §4.");
        v1.MapPost("/catalog/prices", Add).RequireAuthorization(Policies.Admin)
            .WithSummary("Add a price entry. A price change is a new entry with a later effectiveFrom; for a pair already priced it must lie in the future.");
    }

    private static async Task<Ok<CatalogDocument>> Get(CatalogStore catalogs, CancellationToken cancellationToken) =>
        TypedResults.Ok(CatalogJson.ToDocument(await catalogs.CurrentAsync(cancellationToken)));

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
