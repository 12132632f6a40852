namespace Metering.Ledger.Model;

/// <summary>What an API key may do (SPEC §9).</summary>
public enum ApiRole
{
    /// <summary>Everything.</summary>
    Admin,

    /// <summary>Read every tenant, set budgets.</summary>
    Billing,

    /// <summary>Read its own tenant only.</summary>
    Tenant,
}
