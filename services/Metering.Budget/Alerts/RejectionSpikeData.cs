namespace Metering.Budget.Alerts;

/// <summary>The <c>data</c> of <c>rejections.spike</c>: a tenant's rejections in the trailing window that reached the threshold.</summary>
/// <param name="TopCodes">The most frequent rejection codes in the window, most frequent first (at most five).</param>
public sealed record RejectionSpikeData(
    string TenantId, long Count, int Threshold, int WindowSeconds, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<RejectionCodeCount> TopCodes);
