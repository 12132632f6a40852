using Metering.Ledger.Model;

namespace Metering.Api.Webhooks;

/// <summary>One attempt of a delivery: by the delivery loop (<c>scheduled</c>) or by an admin (<c>resend</c>).</summary>
public sealed record WebhookAttemptView(long Id, DateTimeOffset AttemptedAt, string Trigger, int? StatusCode, string? Error, string? Response, int DurationMs)
{
    public static WebhookAttemptView Of(WebhookAttempt attempt) =>
        new(attempt.Id, attempt.AttemptedAt, attempt.Trigger, attempt.StatusCode, attempt.Error, attempt.Response, attempt.DurationMs);
}
