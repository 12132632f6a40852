namespace Metering.Ledger.Model;

/// <summary>What an API key may do (SPEC §9, §14).</summary>
public enum ApiRole
{
    /// <summary>Everything.</summary>
    Admin,

    /// <summary>Read every tenant, set budgets.</summary>
    Billing,

    /// <summary>Read its own tenant only.</summary>
    Tenant,

    /// <summary>Send usage to the ingestion endpoints (SPEC §14) and nothing else: every tenant's, or one tenant's when bound to it.</summary>
    Ingest,
}
