namespace Metering.Ledger.Model;

/// <summary>
/// A tenant's current or last episode of rejections above the threshold: an episode is announced when it starts and
/// ends once the trailing window falls below the threshold, so one spike is one <c>rejections.spike</c> event.
/// </summary>
public sealed class RejectionSpike
{
    public required string TenantId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Null while the episode lasts.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}
