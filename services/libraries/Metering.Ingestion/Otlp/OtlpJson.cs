using System.Text.Json;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// The structure of OTLP/JSON, shared by its readers. Every reader starts on its value's first token and ends on its
/// last. Field names are lowerCamelCase as OTLP/JSON requires; the proto's snake_case names are accepted as well,
/// as protobuf's JSON mapping does. Fields metering does not read are skipped unparsed, as OTLP/JSON receivers
/// must skip unknown ones.
/// </summary>
internal static class OtlpJson
{
    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Whether the current property is named <paramref name="camel"/> (or its proto name <paramref name="snake"/>); if so, moves to its value.</summary>
    public static bool IsProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> camel, ReadOnlySpan<byte> snake)
    {
        if (!reader.ValueTextEquals(camel) && !reader.ValueTextEquals(snake))
        {
            return false;
        }

        reader.Read();
        return true;
    }

    /// <inheritdoc cref="IsProperty(ref Utf8JsonReader, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public static bool IsProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) => IsProperty(ref reader, name, name);

    /// <summary>True on an object, false on null (an absent message), a format error otherwise.</summary>
    public static bool IsObject(ref Utf8JsonReader reader, string what) => reader.TokenType switch
    {
        JsonTokenType.StartObject => true,
        JsonTokenType.Null => false,
        _ => throw Unexpected(ref reader, what, "an object"),
    };

    /// <summary>True on an array, false on null (an empty repeated field), a format error otherwise.</summary>
    public static bool IsArray(ref Utf8JsonReader reader, string what) => reader.TokenType switch
    {
        JsonTokenType.StartArray => true,
        JsonTokenType.Null => false,
        _ => throw Unexpected(ref reader, what, "an array"),
    };

    /// <summary>Moves to the next element of the current array; false at its end.</summary>
    public static bool NextElement(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndArray;
    }

    public static OtlpFormatException Unexpected(ref Utf8JsonReader reader, string what, string expected) =>
        new($"{what} must be {expected}, got {Describe(reader.TokenType)} at byte {reader.TokenStartIndex}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
