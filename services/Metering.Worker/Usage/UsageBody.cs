using System.Net.Mime;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

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

/// <summary>
/// Accepts any body with any content type as a <see cref="UsageBody"/>. Registered as the only, default deserializer of
/// the usage endpoint.
/// </summary>
public sealed class UsageBodySerializerFactory : ISerializerFactory
{
    private static readonly Deserializer Instance = new();

    public ContentType ContentType => SystemTextJsonRawMessageSerializer.JsonContentType;

    public IMessageSerializer CreateSerializer() => new SystemTextJsonRawMessageSerializer();

    public IMessageDeserializer CreateDeserializer() => Instance;

    private sealed class Deserializer : IMessageDeserializer
    {
        private const RawSerializerOptions Options = RawSerializerOptions.AnyMessageType;

        private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement.Clone();

        public ContentType ContentType => SystemTextJsonRawMessageSerializer.JsonContentType;

        public void Probe(ProbeContext context) => context.CreateScope("usage-body").Add("contentType", "any");

        public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
            new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

        public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null) =>
            new SystemTextJsonRawSerializerContext(
                SystemTextJsonMessageSerializer.Instance,
                SystemTextJsonMessageSerializer.Options,
                ContentType,
                new RawMessageContext(headers, destinationAddress, Options),
                headers.GetMessageTypes(),
                Options,
                Empty);

        public MessageBody GetMessageBody(string text) => new StringMessageBody(text);
    }
}
