using System.Globalization;
using Metering.Contracts;
using Metering.Pricing;

namespace Metering.Budget.Decisions;

/// <summary>
/// The stretch of time a budget's amount is for: the billing cycle, or the UTC day containing the moment of decision.
/// A day never straddles two cycles (both begin at 00:00 UTC), so a daily budget's usage is always within one cycle.
/// </summary>
public readonly record struct BudgetSpan(BudgetPeriod Period, DateTimeOffset Start, DateTimeOffset End)
{
    public DateOnly StartDate => DateOnly.FromDateTime(Start.UtcDateTime);

    public string Name => StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static BudgetSpan Of(BudgetPeriod period, BillingCycle cycle, DateTimeOffset now)
    {
        if (period == BudgetPeriod.Cycle)
        {
            return new BudgetSpan(period, cycle.Start, cycle.End);
        }

        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return new BudgetSpan(period, day, day.AddDays(1));
    }
}
