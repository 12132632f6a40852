namespace Metering.Contracts;

/// <summary>The RabbitMQ exchanges of the contract. All are durable fanout exchanges.</summary>
public static class Exchanges
{
    /// <summary>Producers publish <see cref="TokenUsage"/> here as raw JSON: one event or an array of up to 1,000.</summary>
    public const string TokenUsage = "metering.token-usage";

    /// <summary>The budget saga publishes <c>ThrottleCommand</c> here as raw JSON.</summary>
    public const string Throttle = "metering.throttle";

    /// <summary>The ledger API publishes <see cref="BudgetChanged"/> here.</summary>
    public const string BudgetChanged = "metering.budget-changed";

    /// <summary>The metering consumer publishes <see cref="SpendUpdated"/> here after each commit.</summary>
    public const string SpendUpdated = "metering.spend-updated";

    /// <summary>The ledger API asks the metering worker for re-drives here (<see cref="RedriveRejection"/>).</summary>
    public const string Redrive = "metering.redrive";

    /// <summary>The ledger API asks the metering worker for reversals here (<see cref="ReverseEntry"/>).</summary>
    public const string Reverse = "metering.reverse";
}
