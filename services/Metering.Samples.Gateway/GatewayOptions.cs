using System.ComponentModel.DataAnnotations;

namespace Metering.Samples.Gateway;

/// <summary>How a tenant's traffic moves over time.</summary>
public enum TrafficShape
{
    /// <summary>An even rate.</summary>
    Steady,

    /// <summary>Quiet, then five times the rate for a while.</summary>
    Bursty,

    /// <summary>A loop gone wrong: the rate doubles every minute, with long prompts.</summary>
    Runaway,

    /// <summary>Very large deepseek prompts, soon past the 100M-token discount tier.</summary>
    Whale,
}

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

/// <summary>The gateway's settings, section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    [Required(ErrorMessage = "Gateway:ApiUrl is required: the ledger API, for throttle bootstrap and budgets")]
    public Uri? ApiUrl { get; set; }

    /// <summary>An admin key (to set budgets) or billing key (to read throttles).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Set each tenant's budget through the API at start (the demo does).</summary>
    public bool SetBudgets { get; set; }

    [MinLength(1, ErrorMessage = "Gateway:Tenants must list at least one tenant")]
    public List<TenantProfile> Tenants { get; set; } = [];
}
