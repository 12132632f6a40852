using MassTransit;

namespace Metering.Worker.Corrections;

/// <summary>
/// Re-drives and reversals share one durable quorum queue, <c>metering.corrections</c>, one at a time per instance; a
/// transaction that fails because the database is away is tried again a few times before the request fails (the API
/// then answers 503, and asking again is safe: both are idempotent).
/// </summary>
public static class CorrectionsQueue
{
    public const string Name = "metering.corrections";

    public static void Configure(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }

        endpoint.ConcurrentMessageLimit = 1;
    }

    public static void Retry(IRetryConfigurator retry) =>
        retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(200));
}
