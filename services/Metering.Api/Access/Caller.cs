using System.Security.Claims;
using Metering.Ledger.Model;

namespace Metering.Api.Access;

/// <summary>Who is calling, from their API key: a role and, for a tenant key, the one tenant it may read (for an ingest key, the one it may write).</summary>
public sealed record Caller(ApiRole Role, string? TenantId, string KeyId)
{
    public const string RoleClaim = "metering:role";
    public const string TenantClaim = "metering:tenant";
    public const string KeyClaim = "metering:key";

    public bool ReadsEveryTenant => Role is ApiRole.Admin or ApiRole.Billing;

    public bool CanRead(string tenantId) => ReadsEveryTenant || (Role == ApiRole.Tenant && string.Equals(TenantId, tenantId, StringComparison.Ordinal));

    public static Caller From(ClaimsPrincipal user) => new(
        Enum.Parse<ApiRole>(user.FindFirstValue(RoleClaim) ?? throw new InvalidOperationException("the request was not authenticated"), ignoreCase: true),
        user.FindFirstValue(TenantClaim),
        user.FindFirstValue(KeyClaim) ?? "unknown");

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        List<Claim> claims = [new(RoleClaim, Role.ToString().ToLowerInvariant()), new(KeyClaim, KeyId), new(ClaimTypes.Role, Role.ToString().ToLowerInvariant())];
        if (TenantId is not null)
        {
            claims.Add(new Claim(TenantClaim, TenantId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
