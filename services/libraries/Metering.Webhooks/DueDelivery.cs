namespace Metering.Webhooks;

/// <summary>A delivery claimed for an attempt, with what it takes to send it: the endpoint, its sealed secret and the event.</summary>
public sealed record DueDelivery(
    long Id,
    Guid EndpointId,
    string Url,
    string SealedSecret,
    DateTimeOffset? EndpointFailingSince,
    Guid EventId,
    string EventType,
    DateTimeOffset OccurredAt,
    string Data,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt);
