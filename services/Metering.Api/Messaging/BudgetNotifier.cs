using MassTransit;
using Metering.Contracts;

namespace Metering.Api.Messaging;

/// <summary>Tells the budget saga a budget changed, so a raised budget lifts a throttle at once rather than at the next tick.</summary>
public sealed class BudgetNotifier(IBus bus, TimeProvider time, ILogger<BudgetNotifier> logger)
{
    public async Task BudgetChangedAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            await bus.Publish(new BudgetChanged { TenantId = tenantId, ChangedAt = time.GetUtcNow() }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The budget is saved; the saga's periodic tick applies it anyway.
            logger.LogWarning("Could not announce the budget change of {TenantId}: {Error}", tenantId, e.Message);
        }
    }
}
