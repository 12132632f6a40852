using Metering.Ledger.Model;
using Microsoft.AspNetCore.Authorization;

namespace Metering.Api.Access;

/// <summary>
/// The roles of SPEC §9 and §14 as authorization policies. Reading needs a key that reads (admin, billing or tenant:
/// an ingest key reads nothing); tenant scoping is checked per tenant. Ingesting needs an ingest or admin key.
/// </summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Billing = "billing";
    public const string Ingest = "ingest";

    public static void Add(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser()
            .RequireClaim(Caller.RoleClaim, Role(ApiRole.Admin), Role(ApiRole.Billing), Role(ApiRole.Tenant)).Build();
        options.AddPolicy(Admin, policy => policy.RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim, Role(ApiRole.Admin)));
        options.AddPolicy(Billing, policy => policy.RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim, Role(ApiRole.Admin), Role(ApiRole.Billing)));
        options.AddPolicy(Ingest, policy => policy.RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim, Role(ApiRole.Admin), Role(ApiRole.Ingest)));
    }

    private static string Role(ApiRole role) => role.ToString().ToLowerInvariant();
}
