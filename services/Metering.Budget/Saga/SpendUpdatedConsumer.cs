using MassTransit;
using Metering.Contracts;

namespace Metering.Budget.Saga;

/// <summary>Spend updates, batched: a burst for one tenant is one evaluation.</summary>
public sealed class SpendUpdatedConsumer(BudgetEvaluator evaluator) : IConsumer<Batch<SpendUpdated>>
{
    public async Task Consume(ConsumeContext<Batch<SpendUpdated>> context)
    {
        foreach (var tenantId in context.Message.Select(m => m.Message.TenantId).Distinct(StringComparer.Ordinal))
        {
            await evaluator.EvaluateAsync(tenantId, context.CancellationToken);
        }
    }
}
