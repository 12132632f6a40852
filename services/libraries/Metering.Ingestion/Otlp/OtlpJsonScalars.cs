using System.Globalization;
using System.Text.Json;
using Google.Protobuf;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// OTLP/JSON's scalars, where it differs from protobuf's JSON mapping: trace and span ids are hex, not base64.
/// 64-bit integers may be strings or numbers, as in protobuf's mapping.
/// </summary>
internal static class OtlpJsonScalars
{
    /// <summary>Room for the longest id text accepted: a 16-byte id in hex, with slack for escapes.</summary>
    private const int MaxIdChars = 64;

    /// <summary>
    /// A trace or span id: hex as OTLP/JSON requires, or base64 as protobuf's own JSON mapping writes bytes (the
    /// lengths never overlap: 32 or 16 hex digits against 24 or 12 base64 characters). Empty or null is no id.
    /// </summary>
    public static ByteString Id(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return ByteString.Empty;
        }

        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > MaxIdChars)
        {
            throw OtlpJson.Unexpected(ref reader, what, "a hex string of at most 32 digits");
        }

        Span<char> text = stackalloc char[MaxIdChars];
        text = text[..reader.CopyString(text)];
        Span<byte> id = stackalloc byte[MaxIdChars / 2];
        if (Convert.FromHexString(text, id, out _, out var written) == System.Buffers.OperationStatus.Done
            || Convert.TryFromBase64Chars(text, id, out written))
        {
            return ByteString.CopyFrom(id[..written]);
        }

        throw new OtlpFormatException($"{what} must be a hex string, got \"{text}\" at byte {reader.TokenStartIndex}");
    }

    public static string String(ref Utf8JsonReader reader, string what) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => string.Empty,
        _ => throw OtlpJson.Unexpected(ref reader, what, "a string"),
    };

    public static bool Boolean(ref Utf8JsonReader reader, string what) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw OtlpJson.Unexpected(ref reader, what, "a boolean"),
    };

    public static long Int64(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String
            && long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        // Protobuf's mapping also takes 1e3 for an integer; what is not integral is an error, as there.
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var real)
            && Math.Floor(real) == real && real >= long.MinValue && real < long.MaxValue)
        {
            return (long)real;
        }

        throw OtlpJson.Unexpected(ref reader, what, "a 64-bit integer (a number or a decimal string)");
    }

    /// <summary>A fixed64 such as a span's start time in unix nanoseconds.</summary>
    public static ulong UInt64(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String
            && ulong.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        throw OtlpJson.Unexpected(ref reader, what, "an unsigned 64-bit integer (a number or a decimal string)");
    }

    /// <summary>A double: a number, or a string for the values JSON numbers cannot hold ("NaN", "Infinity").</summary>
    public static double Double(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            switch (text)
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
        }

        throw OtlpJson.Unexpected(ref reader, what, "a number");
    }

    /// <summary>Bytes other than ids are base64 in OTLP/JSON, as in protobuf's mapping.</summary>
    public static ByteString Bytes(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return ByteString.Empty;
        }

        if (reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes))
        {
            return ByteString.CopyFrom(bytes);
        }

        throw OtlpJson.Unexpected(ref reader, what, "a base64 string");
    }
}
