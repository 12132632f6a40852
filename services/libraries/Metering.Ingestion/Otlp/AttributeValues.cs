using System.Globalization;
using System.Text.Json;
using OpenTelemetry.Proto.Common.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>
/// Reads attribute values the way exporters actually send them. Counts should be <c>intValue</c>, but sloppy
/// exporters send <c>"1200"</c> or <c>1200.0</c>; any integral value is accepted. A value that is not an integer is
/// written as a JSON string so that the consumer rejects the event ("must be an integer") with the value in the
/// stored body: guessing a count would bill wrongly, and dropping the field would bill silently as zero.
/// </summary>
internal static class AttributeValues
{
    /// <summary>How much of an unusable value is kept in the event: enough to see what was sent.</summary>
    private const int MaxEchoedLength = 64;

    /// <summary>A string value, or an integer's decimal text (numeric tenant ids); anything else is no text.</summary>
    public static string? Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A string value no longer than <paramref name="maxLength"/>, for optional descriptive fields.</summary>
    public static string? ShortText(AnyValue? value, int maxLength) =>
        value?.ValueCase == AnyValue.ValueOneofCase.StringValue && value.StringValue.Length <= maxLength ? value.StringValue : null;

    public static bool TryGetInteger(AnyValue value, out long integer)
    {
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.IntValue:
                integer = value.IntValue;
                return true;
            case AnyValue.ValueOneofCase.StringValue:
                return long.TryParse(value.StringValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer);
            case AnyValue.ValueOneofCase.DoubleValue when IsIntegral(value.DoubleValue):
                integer = (long)value.DoubleValue;
                return true;
            default:
                integer = 0;
                return false;
        }
    }

    /// <summary>Writes a count: the integer when there is one (even negative: the consumer rejects that), else the echo.</summary>
    public static void WriteCount(Utf8JsonWriter writer, JsonEncodedText name, AnyValue value)
    {
        if (TryGetInteger(value, out var integer))
        {
            writer.WriteNumber(name, integer);
        }
        else
        {
            writer.WriteString(name, Echo(value));
        }
    }

    private static bool IsIntegral(double value) =>
        double.IsFinite(value) && Math.Floor(value) == value && value >= long.MinValue && value < long.MaxValue;

    private static string Echo(AnyValue value)
    {
        var text = value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.None => "(no value)",
            _ => $"({value.ValueCase})",
        };
        return text.Length <= MaxEchoedLength ? text : string.Concat(text.AsSpan(0, MaxEchoedLength), "…");
    }
}
