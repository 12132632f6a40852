using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>Parses <c>application/x-protobuf</c> export bodies.</summary>
internal static class OtlpProtobufReader
{
    /// <summary>
    /// Discards unknown fields: span events, links and status are not declared (see trace.proto), and keeping their
    /// bytes would only cost memory.
    /// </summary>
    private static readonly MessageParser<ExportTraceServiceRequest> Parser =
        ExportTraceServiceRequest.Parser.WithDiscardUnknownFields(true);

    public static ExportTraceServiceRequest Read(ReadOnlySpan<byte> body)
    {
        try
        {
            return Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OtlpFormatException($"the body is not an OTLP protobuf ExportTraceServiceRequest: {e.Message}", e);
        }
    }
}
