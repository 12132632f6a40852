namespace Metering.IntegrationTests.Harness;

/// <summary>One request a <see cref="WebhookReceiver"/> got, with the headers Standard Webhooks sends and what it answered.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string Body, int Answer, bool Duplicate);
