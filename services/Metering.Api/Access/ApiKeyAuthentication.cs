using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Metering.Ledger.Access;
using Metering.Ledger.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Metering.Api.Access;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. Keys are looked up by their SHA-256 and remembered for a few seconds, so
/// a revoked key stops working within <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys,
    IOptions<ApiOptions> api,
    TimeProvider time,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private static readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> Recent = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 200)
        {
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer <API key>'");
        }

        var caller = await FindAsync(header["Bearer ".Length..].Trim());
        return caller is null
            ? AuthenticateResult.Fail("unknown or revoked API key")
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = failure ?? "an API key is required: send 'Authorization: Bearer <API key>'" },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 403, Title = "Forbidden", Detail = "this API key's role may not do this" },
        });
    }

    private async Task<Caller?> FindAsync(string secret)
    {
        if (api.Value.AdminKey is { Length: > 0 } admin
            && CryptographicOperations.FixedTimeEquals(ApiKeys.Hash(secret), ApiKeys.Hash(admin)))
        {
            return new Caller(ApiRole.Admin, null, "configured-admin-key");
        }

        var cacheKey = Convert.ToBase64String(ApiKeys.Hash(secret));
        var now = time.GetUtcNow();
        if (Recent.TryGetValue(cacheKey, out var cached) && cached.Until > now)
        {
            return cached.Caller;
        }

        var key = await keys.FindAsync(secret, Context.RequestAborted);
        var caller = key is null ? null : new Caller(key.Role, key.TenantId, key.Id.ToString());
        Recent[cacheKey] = (caller, now + CacheFor);
        return caller;
    }
}
