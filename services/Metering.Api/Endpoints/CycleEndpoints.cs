using System.Globalization;
using System.Text;
using Metering.Hosting;
using Metering.Ledger;
using Metering.Ledger.Catalog;
using Metering.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Metering.Api.Endpoints;

/// <summary>
/// <c>/v1/tenants/{tenantId}/cycles</c>: cycle totals and invoices, read from the rollups the consumer writes in the
/// same transaction as the entries, never from a scan of the entries.
/// </summary>
public static class CycleEndpoints
{
    public static void Map(RouteGroupBuilder tenant)
    {
        tenant.MapGet("/cycles", List).WithSummary("The tenant's cycles with usage, newest first: events and cost.");
        tenant.MapGet("/cycles/{cycle}", Summary)
            .WithSummary("One cycle ('current' or its start date): totals per provider, model and bucket, tier positions, rates, cache hits, waste, budget, projection, throttle.");
        tenant.MapGet("/cycles/{cycle}/invoice", Invoice)
            .WithSummary("The cycle's invoice: one line per provider, model, bucket, tier and rate, each rounded to cents half to even; ?format=csv for CSV.");
    }

    private static async Task<Ok<List<CycleListItem>>> List(
        string tenantId, LedgerDbContext db, TimeProvider time, IOptions<BillingRules> rules, CancellationToken cancellationToken)
    {
        var settings = await TenantEndpoints.SettingsAsync(db, tenantId, cancellationToken);
        var states = await db.CycleStates.AsNoTracking().Where(s => s.TenantId == tenantId).OrderByDescending(s => s.Cycle).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return TypedResults.Ok(states.Select(s =>
        {
            var cycle = BillingCycle.Containing(new DateTimeOffset(s.Cycle.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), settings.CycleAnchorDay);
            return new CycleListItem(cycle.Name, cycle.Start, cycle.End, StatusOf(cycle, now, rules.Value.GracePeriod), s.Events, Money.Format(s.Cost));
        }).ToList());
    }

    private static async Task<Results<Ok<CycleSummary>, ValidationProblem>> Summary(
        string tenantId,
        string cycle,
        Queries.CycleSummaryQuery query,
        Queries.TenantSettingsCache tenants,
        TimeProvider time,
        IOptions<BillingRules> rules,
        CancellationToken cancellationToken)
    {
        var settings = await tenants.GetAsync(tenantId, cancellationToken);
        var now = time.GetUtcNow();
        if (!Inputs.TryCycle(cycle, settings, now, out var billingCycle, out var problem))
        {
            return problem!;
        }

        var data = await query.ReadAsync(tenantId, billingCycle.StartDate, cancellationToken);
        return TypedResults.Ok(SummaryOf(tenantId, billingCycle, data, settings, now, rules.Value.GracePeriod));
    }

    /// <summary>A cycle summary from what <see cref="Queries.CycleSummaryQuery"/> read; the dashboard shows the same one.</summary>
    public static CycleSummary SummaryOf(
        string tenantId, BillingCycle billingCycle, Queries.CycleSummaryData data, TenantSettings settings, DateTimeOffset now, TimeSpan gracePeriod)
    {
        var models = data.Models;
        var prompt = models.Sum(m => m.PromptTokens);
        var billed = models.Sum(m => m.BilledTokens);
        var cost = data.State?.Cost ?? 0m;
        var throttle = data.Throttle is { } t && t.Cycle == billingCycle.StartDate ? data.Throttle : null;
        return new CycleSummary(
            tenantId,
            billingCycle.Name,
            billingCycle.Start,
            billingCycle.End,
            StatusOf(billingCycle, now, gracePeriod),
            data.State?.Events ?? 0,
            data.State?.Reversals ?? 0,
            Money.Format(cost),
            billed,
            prompt,
            models.Sum(m => m.CompletionTokens),
            models.Sum(m => m.CachedTokens),
            models.Sum(m => m.ReasoningTokens),
            Inputs.Ratio(models.Sum(m => m.CachedTokens), prompt),
            Inputs.Ratio(cost * 1_000_000m, billed),
            new Waste(models.Sum(m => m.ReservedOutputWaste), Money.Format(models.Sum(m => m.ReservedOutputWasteCost))),
            data.Budget is null ? null : BudgetView.Of(data.Budget),
            // The saga's projection includes the spend of its last evaluation; never show less than what is spent now.
            throttle is { } saga ? Money.Format(Math.Max(saga.ProjectedSpend, cost)) : null,
            throttle?.Level,
            [.. data.Counters.Select(c => TierPosition.Of(c.Provider, c.BilledTokens, ScheduleOf(c.Provider, models.Select(m => (m.Provider, m.Model)), data.Catalog, settings, now)))],
            [.. models.Select(m => new ModelTotals(
                m.Provider, m.Model, data.Catalog.Resolve(m.Provider, m.Model)?.Name,
                m.Events, m.PromptTokens, m.CompletionTokens, m.CachedTokens, m.ReasoningTokens, m.BilledTokens, Money.Format(m.Cost),
                Inputs.Ratio(m.Cost * 1_000_000m, m.BilledTokens), Inputs.Ratio(m.CachedTokens, m.PromptTokens),
                new Waste(m.ReservedOutputWaste, Money.Format(m.ReservedOutputWasteCost))))],
            [.. data.Buckets.OrderBy(b => b.Provider, StringComparer.Ordinal).ThenBy(b => b.Model, StringComparer.Ordinal).ThenBy(b => BucketOrder(b.Bucket))
                .Select(b => new BucketTotals(b.Provider, b.Model, b.Bucket, b.Tokens, Money.Format(b.Amount)))]);
    }

    private static async Task<Results<Ok<InvoiceView>, FileContentHttpResult, ValidationProblem>> Invoice(
        string tenantId, string cycle, string? format, LedgerDbContext db, CatalogStore catalogs, TimeProvider time, IOptions<BillingRules> rules, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid("format", $"{Problems.Quote(format)} is not a format: json or csv");
        }

        var settings = await TenantEndpoints.SettingsAsync(db, tenantId, cancellationToken);
        var now = time.GetUtcNow();
        if (!Inputs.TryCycle(cycle, settings, now, out var billingCycle, out var problem))
        {
            return problem!;
        }

        var start = billingCycle.StartDate;
        // One snapshot for the lines and the totals beside them.
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var rollups = await db.CycleRollups.AsNoTracking().Where(r => r.TenantId == tenantId && r.Cycle == start).ToListAsync(cancellationToken);
        var reasoning = await db.CycleModelTotals.AsNoTracking().Where(m => m.TenantId == tenantId && m.Cycle == start).SumAsync(m => m.ReasoningTokens, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var catalog = await catalogs.CurrentAsync(cancellationToken);
        string PricedAs(string provider, string model) => catalog.Resolve(provider, model)?.Name ?? $"{provider}/{model}";
        var lines = rollups
            .OrderBy(r => r.Provider, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => BucketOrder(r.Bucket)).ThenBy(r => r.Tier).ThenByDescending(r => r.RatePerMillion).ThenBy(r => r.Kind, StringComparer.Ordinal)
            .Select(r => new InvoiceLine(
                r.Provider, r.Model, PricedAs(r.Provider, r.Model), r.Bucket, r.Tier, Money.Format(r.Discount), r.Tokens, Money.Format(r.RatePerMillion),
                Cents(Money.ToCents(r.Amount)), Money.Format(r.Amount), r.Kind))
            .ToList();
        var invoice = new InvoiceView(
            tenantId,
            billingCycle.Name,
            StatusOf(billingCycle, now, rules.Value.GracePeriod),
            "USD",
            lines,
            Cents(rollups.Sum(r => Money.ToCents(r.Amount))),
            Money.Format(rollups.Sum(r => r.Amount)),
            reasoning);

        return format == "csv"
            ? TypedResults.File(Encoding.UTF8.GetBytes(InvoiceCsv.Write(lines)), "text/csv", $"invoice-{tenantId}-{billingCycle.Name}.csv")
            : TypedResults.Ok(invoice);
    }

    /// <summary>open until the cycle ends; grace while late events are still accepted; closed after.</summary>
    public static string StatusOf(BillingCycle cycle, DateTimeOffset now, TimeSpan gracePeriod) =>
        now < cycle.End ? "open" : now < cycle.End + gracePeriod ? "grace" : "closed";

    private static string Cents(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static int BucketOrder(string bucket) => BucketKinds.TryParse(bucket, out var kind) ? (int)kind : int.MaxValue;

    private static Pricing.Catalog.TierSchedule ScheduleOf(
        string provider, IEnumerable<(string Provider, string Model)> used, Pricing.Catalog.PriceCatalog catalog, TenantSettings tenant, DateTimeOffset now)
    {
        var entry = used.Where(u => u.Provider == provider).Select(u => catalog.Find(u.Provider, u.Model, now)).FirstOrDefault(e => e is not null);
        return entry is null ? Pricing.Catalog.TierSchedule.Flat : catalog.ScheduleFor(entry, tenant);
    }
}
