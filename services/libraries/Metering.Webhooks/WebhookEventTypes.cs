namespace Metering.Webhooks;

/// <summary>The events an endpoint may subscribe to (SPEC §15).</summary>
public static class WebhookEventTypes
{
    /// <summary>The budget saga changed a tenant's throttle level.</summary>
    public const string BudgetLevelChanged = "budget.level_changed";

    /// <summary>A billing cycle's grace period ended: its totals are final.</summary>
    public const string CycleClosed = "cycle.closed";

    /// <summary>A tenant's rejections in the trailing window reached the threshold.</summary>
    public const string RejectionsSpike = "rejections.spike";

    public static IReadOnlyList<string> All { get; } = [BudgetLevelChanged, CycleClosed, RejectionsSpike];
}
