using System.Net.Http.Json;
using Metering.Pricing;
using Metering.Pricing.Catalog;
using Microsoft.Extensions.Options;

namespace Metering.Samples.Gateway.Traffic;

/// <summary>Sets the demo's budgets (<see cref="DemoBudgets"/>) through the ledger API once it answers.</summary>
public sealed class BudgetSetter(IOptions<GatewayOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<BudgetSetter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gateway = options.Value;
        if (!gateway.SetBudgets)
        {
            return;
        }

        using var client = http.CreateClient(nameof(BudgetSetter));
        client.BaseAddress = gateway.ApiUrl;
        client.DefaultRequestHeaders.Authorization = new("Bearer", gateway.ApiKey);
        foreach (var tenant in gateway.Tenants)
        {
            if (DemoBudgets.For(tenant, PriceCatalog.Default, time.GetUtcNow()) is not { } budget)
            {
                continue;
            }

            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    var response = await client.PutAsJsonAsync($"v1/tenants/{tenant.TenantId}/budget", new { amount = Money.Format(budget) }, stoppingToken);
                    response.EnsureSuccessStatusCode();
                    logger.LogInformation(
                        "Budget of {TenantId} set to {Budget}: what its traffic costs over {Covers}", tenant.TenantId, Money.Format(budget), tenant.BudgetCovers?.ToString() ?? "(typed)");
                    break;
                }
                catch (HttpRequestException e) when (attempt < 30)
                {
                    logger.LogInformation("The ledger API is not answering yet ({Error}); retrying", e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
                }
            }
        }
    }
}
