using System.ComponentModel.DataAnnotations;

namespace Metering.Samples.Gateway;

public sealed class TenantProfile
{
    [Required]
    public string TenantId { get; set; } = "";

    public TrafficShape Shape { get; set; } = TrafficShape.Steady;

    [Range(0.01, 1_000)]
    public double RequestsPerSecond { get; set; } = 1;

    /// <summary>PROVIDER/MODEL pairs the tenant's requests go to.</summary>
    [MinLength(1)]
    public List<string> Models { get; set; } = [];

    /// <summary>
    /// The budget the gateway sets when <see cref="GatewayOptions.SetBudgets"/> is on: what this tenant's traffic costs
    /// over this long at list prices (see <c>Traffic/DemoBudgets</c>).
    /// </summary>
    public TimeSpan? BudgetCovers { get; set; }

    /// <summary>A budget amount typed by hand, instead of <see cref="BudgetCovers"/>.</summary>
    public string? Budget { get; set; }

    public string? Service { get; set; }
}
