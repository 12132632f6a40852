using MassTransit;
using Metering.Contracts;

namespace Metering.Budget.Saga;

/// <summary>A budget set, raised or removed takes effect at once.</summary>
public sealed class BudgetChangedConsumer(BudgetEvaluator evaluator) : IConsumer<BudgetChanged>
{
    public Task Consume(ConsumeContext<BudgetChanged> context) => evaluator.EvaluateAsync(context.Message.TenantId, context.CancellationToken);
}
