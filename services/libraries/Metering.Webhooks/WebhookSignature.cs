using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Metering.Webhooks;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> and the base64 HMAC-SHA256, keyed by the endpoint's secret, of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>. The secret is written <c>whsec_</c> and the base64 of its bytes.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>The <c>webhook-signature</c> header of <paramref name="body"/> sent as <paramref name="webhookId"/> at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string secret, string webhookId, long timestamp, string body)
    {
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{webhookId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), content));
    }

    /// <summary>A new secret: 32 random bytes, the size of the HMAC-SHA256 key that gives the signature its full strength.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
}
