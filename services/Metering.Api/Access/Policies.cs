using Metering.Ledger.Model;
using Microsoft.AspNetCore.Authorization;

namespace Metering.Api.Access;

/// <summary>The roles of SPEC §9 as authorization policies. Reading needs any valid key; tenant scoping is checked per tenant.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Billing = "billing";

    public static void Add(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build();
        options.AddPolicy(Admin, policy => policy.RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim, Role(ApiRole.Admin)));
        options.AddPolicy(Billing, policy => policy.RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim, Role(ApiRole.Admin), Role(ApiRole.Billing)));
    }

    private static string Role(ApiRole role) => role.ToString().ToLowerInvariant();
}
