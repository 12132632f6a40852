namespace Metering.Ingestion.Otlp;

/// <summary>The two OTLP/HTTP body encodings: <c>application/x-protobuf</c> and <c>application/json</c>.</summary>
public enum OtlpEncoding
{
    Protobuf,
    Json,
}
