using System.Net.Mime;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

namespace Metering.Worker.Usage;

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
