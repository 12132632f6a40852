using System.ComponentModel.DataAnnotations;

namespace Metering.Samples.Gateway;

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
