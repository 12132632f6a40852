using Metering.Pricing.Usage;

namespace Metering.Pricing.Batches;

/// <summary>The rules a batch is metered by, beyond each message's own arrival time.</summary>
/// <param name="GracePeriod">How long a cycle accepts late events after it ends.</param>
/// <param name="AdjustAt">Bill every event as an adjustment into its tenant's cycle that contains this instant.</param>
/// <param name="OpenAt">Every event's cycle must also still be open at this instant (a re-drive as received).</param>
public sealed record MeteringRules(TimeSpan GracePeriod, DateTimeOffset? AdjustAt = null, DateTimeOffset? OpenAt = null)
{
    public Arrival ArrivalOf(IncomingMessage message) => new(message.ArrivedAt, GracePeriod, AdjustAt, OpenAt);
}
