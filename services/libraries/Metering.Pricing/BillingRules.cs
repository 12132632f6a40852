using System.ComponentModel.DataAnnotations;

namespace Metering.Pricing;

/// <summary>Billing rules every service applies alike, section <c>Metering</c>.</summary>
public sealed class BillingRules
{
    public const string Section = "Metering";

    /// <summary>How long a cycle stays open for late events after it ends (SPEC §5).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "31.00:00:00", ErrorMessage = "Metering:GracePeriod must be between 0 and 31 days, written d.hh:mm:ss (72 hours is 3.00:00:00)")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(72);
}
