using System.Security.Cryptography;
using System.Text;
using Metering.Ledger.Model;
using Microsoft.EntityFrameworkCore;

namespace Metering.Ledger.Access;

/// <summary>
/// API keys: 256 random bits, shown once at creation and stored only as their SHA-256. A fast hash is enough for keys
/// with that much entropy; there is no password to guess.
/// </summary>
public sealed class ApiKeys(IDbContextFactory<LedgerDbContext> contexts, TimeProvider time)
{
    public const string KeyPrefix = "mtr_";

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Creates a key and returns it with the only copy of its secret.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, ApiRole role, string? tenantId, CancellationToken cancellationToken = default)
    {
        if (role == ApiRole.Tenant && string.IsNullOrWhiteSpace(tenantId))
        {
            throw new ArgumentException("a tenant key needs the tenant it may read", nameof(tenantId));
        }

        if (role is not (ApiRole.Tenant or ApiRole.Ingest) && tenantId is not null)
        {
            throw new ArgumentException($"an {role.ToString().ToLowerInvariant()} key reads every tenant; give a tenant only with the tenant or ingest role", nameof(tenantId));
        }

        var secret = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = name,
            Role = role,
            TenantId = tenantId,
            KeyHash = Hash(secret),
            Prefix = secret[..(KeyPrefix.Length + 6)],
            CreatedAt = time.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return (key, secret);
    }

    /// <summary>Revokes a key; false when there is no such key or it was already revoked.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, now), cancellationToken) == 1;
    }

    public async Task<List<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>The live key with this secret, or null.</summary>
    public async Task<ApiKey?> FindAsync(string secret, CancellationToken cancellationToken = default)
    {
        var hash = Hash(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, cancellationToken);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
