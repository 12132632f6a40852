using System.Text.Json;
using MassTransit;

namespace Metering.Worker.Usage;

/// <summary>
/// The message type the usage consumer receives. It carries nothing itself: the consumer reads the raw body from the
/// receive context, so that a body that is not JSON, or not an event, still reaches it and is rejected with a reason
/// instead of faulting in MassTransit's deserializer.
/// </summary>
public sealed class UsageBody
{
    /// <summary>The bytes of an incoming message; a MassTransit envelope is unwrapped to the message inside it.</summary>
    public static ReadOnlyMemory<byte> Of(ReceiveContext context)
    {
        var body = context.Body.GetBytes();
        if (context.ContentType?.MediaType != "application/vnd.masstransit+json")
        {
            return body;
        }

        try
        {
            using var envelope = JsonDocument.Parse(body);
            return envelope.RootElement.TryGetProperty("message", out var message)
                ? System.Text.Encoding.UTF8.GetBytes(message.GetRawText())
                : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
