namespace Metering.Ledger.Model;

/// <summary>One HTTP request of a delivery, as it went: the status code or the error, and how long it took.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }

    public long DeliveryId { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }

    /// <summary><c>scheduled</c> (the delivery loop) or <c>resend</c> (an admin, through the API).</summary>
    public required string Trigger { get; set; }

    /// <summary>The receiver's status code; null when no response came (refused, timed out).</summary>
    public int? StatusCode { get; set; }

    /// <summary>Why it failed, when it did.</summary>
    public string? Error { get; set; }

    /// <summary>The start of the receiver's response body, for the person reading the log.</summary>
    public string? Response { get; set; }

    public int DurationMs { get; set; }
}
