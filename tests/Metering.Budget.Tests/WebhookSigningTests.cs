using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Metering.Webhooks;
using Microsoft.Extensions.Options;

namespace Metering.Budget.Tests;

/// <summary>The Standard Webhooks signature, the body it signs, and how endpoint secrets are sealed, with no servers.</summary>
public sealed class WebhookSigningTests
{
    [Fact]
    public void The_signature_matches_the_test_vector_of_the_Standard_Webhooks_specification()
    {
        var signature = WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void A_new_secret_is_whsec_and_32_random_bytes()
    {
        var secret = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Fact]
    public void The_body_is_type_timestamp_and_data_in_the_Standard_Webhooks_shape()
    {
        var body = WebhookBody.Of("cycle.closed", new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), """{"cost": "12.5", "tenantId": "acme"}""");

        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(["type", "timestamp", "data"], json.Select(p => p.Key));
        Assert.Equal("cycle.closed", (string?)json["type"]);
        Assert.Equal("2026-12-04T00:00:00+00:00", (string?)json["timestamp"]);
        Assert.Equal("12.5", (string?)json["data"]!["cost"]);
    }

    [Fact]
    public void A_sealed_secret_opens_for_its_endpoint_only_and_does_not_show_the_secret()
    {
        var secrets = Secrets(Key());
        var endpoint = Guid.NewGuid();
        var secret = WebhookSignature.NewSecret();

        var sealedSecret = secrets.Seal(endpoint, secret);

        Assert.DoesNotContain(secret["whsec_".Length..], sealedSecret, StringComparison.Ordinal);
        Assert.NotEqual(sealedSecret, secrets.Seal(endpoint, secret));
        Assert.Equal(secret, secrets.Open(endpoint, sealedSecret));
        Assert.ThrowsAny<CryptographicException>(() => secrets.Open(Guid.NewGuid(), sealedSecret));
    }

    [Fact]
    public void A_secret_sealed_with_another_key_is_refused_with_a_message_naming_the_setting()
    {
        var endpoint = Guid.NewGuid();
        var sealedSecret = Secrets(Key()).Seal(endpoint, WebhookSignature.NewSecret());

        var refused = Assert.ThrowsAny<CryptographicException>(() => Secrets(Key()).Open(endpoint, sealedSecret));

        Assert.Contains("Webhooks:SecretKey", refused.Message, StringComparison.Ordinal);
        Assert.False(Secrets(null).IsConfigured);
        Assert.Contains("Webhooks:SecretKey", Assert.ThrowsAny<CryptographicException>(() => Secrets(null).Seal(endpoint, "x")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c2hvcnQ=", false)]
    [InlineData("not base64 at all", false)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", true)]
    public void A_secret_key_is_32_bytes_of_base64(string key, bool valid) => Assert.Equal(valid, WebhookSecrets.IsKey(key));

    private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static WebhookSecrets Secrets(string? key) => new(Options.Create(new WebhookOptions { SecretKey = key }));
}
