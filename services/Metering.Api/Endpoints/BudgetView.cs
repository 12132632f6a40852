using Metering.Ledger.Model;
using Metering.Pricing;

namespace Metering.Api.Endpoints;

public sealed record BudgetView(string TenantId, string Amount, string WarnAt, string SlowdownAt, string BlockAt, DateTimeOffset UpdatedAt)
{
    public static BudgetView Of(TenantBudget budget) => new(
        budget.TenantId, Money.Format(budget.Amount), Money.Format(budget.WarnAt), Money.Format(budget.SlowdownAt), Money.Format(budget.BlockAt), budget.UpdatedAt);
}
