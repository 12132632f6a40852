using System.Text.Json.Nodes;
using Metering.Pricing.Usage;

namespace Metering.Pricing.Tests.Native;

/// <summary>The recorded-shape envelopes of <c>Native/Payloads</c>: one provider response (or stream) each.</summary>
public static class NativePayloads
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Native", "Payloads");

    public static IReadOnlyList<string> Names { get; } =
        [.. Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public static JsonObject Envelope(string name) => JsonNode.Parse(Bytes(name))!.AsObject();

    public static UsageRead Read(string name) => UsageReader.ReadEvent(Bytes(name));

    public static UsageRead Read(JsonNode envelope) => UsageReader.ReadEvent(System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString()));
}
