using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Metering.Webhooks;

/// <summary>
/// The body every delivery of an event sends, in the Standard Webhooks shape <c>{"type", "timestamp", "data"}</c>.
/// Made from the stored event alone, so every attempt and every re-send of it sends the same bytes.
/// </summary>
public static class WebhookBody
{
    public static string Of(string type, DateTimeOffset occurredAt, string data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", occurredAt.ToUniversalTime());
            writer.WritePropertyName("data");
            writer.WriteRawValue(data);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
