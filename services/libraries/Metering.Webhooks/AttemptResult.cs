namespace Metering.Webhooks;

/// <summary>How one attempt went: the receiver's status code, or the error when there was no answer.</summary>
public sealed record AttemptResult(DueDelivery Delivery, DateTimeOffset At, int? StatusCode, string? Error, string? Response, int DurationMs)
{
    /// <summary>Any 2xx: the receiver has the event. Redirects are not followed, so a 3xx is a failure.</summary>
    public bool Delivered => StatusCode is >= 200 and < 300;
}
