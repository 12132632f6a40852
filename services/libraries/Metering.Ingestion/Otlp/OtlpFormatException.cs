namespace Metering.Ingestion.Otlp;

/// <summary>
/// The body is not an OTLP trace export in the encoding it claims. Nothing in it was read, so the caller answers
/// <c>400 Bad Request</c> (which OTLP exporters do not retry) with <see cref="Exception.Message"/>.
/// </summary>
public sealed class OtlpFormatException : Exception
{
    public OtlpFormatException()
    {
    }

    public OtlpFormatException(string message)
        : base(message)
    {
    }

    public OtlpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
