using MassTransit;
using MassTransit.RabbitMqTransport;

namespace Metering.Worker.Usage;

/// <summary>
/// When a message reached the broker: what its events are judged by (SPEC §5), so a backlog behind a slow or stopped
/// worker never pushes an in-time event past its cycle's grace period. The broker's own timestamp
/// (<c>timestamp_in_ms</c>, which RabbitMQ's message timestamp interceptor sets) when present, else the AMQP timestamp
/// the producer set (the producer library sets it), else when the worker received the message — never later than
/// that, and never more than <see cref="WorkerOptions.ArrivalTolerance"/> earlier.
/// </summary>
public static class ArrivalTime
{
    public static DateTimeOffset Of(ReceiveContext context, DateTimeOffset receivedAt, TimeSpan tolerance)
    {
        var stamped = Stamped(context);
        if (stamped is not { } at || at > receivedAt)
        {
            return receivedAt;
        }

        return at < receivedAt - tolerance ? receivedAt - tolerance : at;
    }

    private static DateTimeOffset? Stamped(ReceiveContext context)
    {
        if (context.TransportHeaders.TryGetHeader("timestamp_in_ms", out var header) && header is long or int && Convert.ToInt64(header, System.Globalization.CultureInfo.InvariantCulture) is var ms and > 0)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        if (context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) && rabbit.Properties.IsTimestampPresent() && rabbit.Properties.Timestamp.UnixTime > 0)
        {
            return DateTimeOffset.FromUnixTimeSeconds(rabbit.Properties.Timestamp.UnixTime);
        }

        return null;
    }
}
