using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Metering.Webhooks;

/// <summary>
/// Seals endpoint secrets for the database and opens them to sign. A signing secret must be usable for HMAC, so it
/// cannot be stored as a hash like an API key; it is encrypted (AES-256-GCM) with the key of <c>Webhooks:SecretKey</c>,
/// which lives outside the database, and bound to its endpoint's id (a sealed secret copied to another endpoint does
/// not open). The sealed form names the key it was sealed with by a short fingerprint, so a service given another key
/// says so instead of signing with garbage.
/// </summary>
public sealed class WebhookSecrets(IOptions<WebhookOptions> options)
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Whether <c>Webhooks:SecretKey</c> is set: without it nothing can be sealed or opened.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.SecretKey);

    /// <summary>Whether <paramref name="key"/> is a key this class can use: 32 bytes in base64.</summary>
    public static bool IsKey(string key)
    {
        Span<byte> bytes = stackalloc byte[33];
        return Convert.TryFromBase64String(key.Trim(), bytes, out var length) && length == 32;
    }

    public string Seal(Guid endpointId, string secret)
    {
        var key = Key();
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), endpointId.ToByteArray());
        }

        return $"{Version}.{Fingerprint(key)}.{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>The secret of <paramref name="endpointId"/>; throws <see cref="CryptographicException"/> when it was sealed with another key or altered.</summary>
    public string Open(Guid endpointId, string sealedSecret)
    {
        var key = Key();
        var parts = sealedSecret.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
        {
            throw new CryptographicException($"the secret of webhook endpoint {endpointId} is not in a sealed form this version reads");
        }

        if (parts[1] != Fingerprint(key))
        {
            throw new CryptographicException(
                $"the secret of webhook endpoint {endpointId} was sealed with the key {parts[1]}, not with the configured Webhooks:SecretKey ({Fingerprint(key)})");
        }

        var sealedBytes = Convert.FromBase64String(parts[2]);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), plain, endpointId.ToByteArray());
        }

        return Encoding.UTF8.GetString(plain);
    }

    private byte[] Key() => IsConfigured
        ? Convert.FromBase64String(options.Value.SecretKey!.Trim())
        : throw new CryptographicException("the setting Webhooks:SecretKey is missing: endpoint secrets can be neither sealed nor opened");

    private static string Fingerprint(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 4));
}
