namespace Metering.Webhooks;

/// <summary>
/// Whether an endpoint is failing, after a round of attempts to it. One delivered attempt shows that it answers
/// (a receiver refusing one payload is not a receiver that is down); an endpoint whose every attempt failed since
/// <see cref="FailingSince"/> for the whole of <c>Webhooks:DisableAfter</c> is disabled.
/// </summary>
public readonly record struct EndpointHealth(DateTimeOffset? FailingSince, bool Disable)
{
    public static EndpointHealth After(DateTimeOffset? failingSince, bool anyDelivered, DateTimeOffset now, TimeSpan disableAfter)
    {
        if (anyDelivered)
        {
            return new EndpointHealth(null, false);
        }

        var since = failingSince ?? now;
        return new EndpointHealth(since, now - since >= disableAfter);
    }
}
