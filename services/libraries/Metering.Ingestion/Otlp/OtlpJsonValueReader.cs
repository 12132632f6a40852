using System.Text.Json;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace Metering.Ingestion.Otlp;

/// <summary>Reads OTLP/JSON attributes: <c>[{ "key": …, "value": { "intValue": "12" } }]</c>, nested to any depth the reader allows.</summary>
internal static class OtlpJsonValueReader
{
    /// <summary>Adds the key-value array at the reader to <paramref name="into"/>.</summary>
    public static void ReadKeyValues(ref Utf8JsonReader reader, RepeatedField<KeyValue> into, string what)
    {
        if (!OtlpJson.IsArray(ref reader, what))
        {
            return;
        }

        while (OtlpJson.NextElement(ref reader))
        {
            into.Add(ReadKeyValue(ref reader, what));
        }
    }

    private static KeyValue ReadKeyValue(ref Utf8JsonReader reader, string what)
    {
        var keyValue = new KeyValue();
        if (!OtlpJson.IsObject(ref reader, what))
        {
            return keyValue;
        }

        while (OtlpJson.NextProperty(ref reader))
        {
            if (OtlpJson.IsProperty(ref reader, "key"u8))
            {
                keyValue.Key = OtlpJsonScalars.String(ref reader, "an attribute's key");
            }
            else if (OtlpJson.IsProperty(ref reader, "value"u8))
            {
                keyValue.Value = ReadAnyValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return keyValue;
    }

    private static AnyValue? ReadAnyValue(ref Utf8JsonReader reader)
    {
        if (!OtlpJson.IsObject(ref reader, "an attribute's value"))
        {
            return null;
        }

        var value = new AnyValue();
        while (OtlpJson.NextProperty(ref reader))
        {
            if (OtlpJson.IsProperty(ref reader, "stringValue"u8, "string_value"u8))
            {
                value.StringValue = OtlpJsonScalars.String(ref reader, "stringValue");
            }
            else if (OtlpJson.IsProperty(ref reader, "intValue"u8, "int_value"u8))
            {
                value.IntValue = OtlpJsonScalars.Int64(ref reader, "intValue");
            }
            else if (OtlpJson.IsProperty(ref reader, "doubleValue"u8, "double_value"u8))
            {
                value.DoubleValue = OtlpJsonScalars.Double(ref reader, "doubleValue");
            }
            else if (OtlpJson.IsProperty(ref reader, "boolValue"u8, "bool_value"u8))
            {
                value.BoolValue = OtlpJsonScalars.Boolean(ref reader, "boolValue");
            }
            else if (OtlpJson.IsProperty(ref reader, "arrayValue"u8, "array_value"u8))
            {
                value.ArrayValue = ReadArrayValue(ref reader);
            }
            else if (OtlpJson.IsProperty(ref reader, "kvlistValue"u8, "kvlist_value"u8))
            {
                value.KvlistValue = ReadKeyValueList(ref reader);
            }
            else if (OtlpJson.IsProperty(ref reader, "bytesValue"u8, "bytes_value"u8))
            {
                value.BytesValue = OtlpJsonScalars.Bytes(ref reader, "bytesValue");
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    private static ArrayValue ReadArrayValue(ref Utf8JsonReader reader)
    {
        var array = new ArrayValue();
        if (!OtlpJson.IsObject(ref reader, "arrayValue"))
        {
            return array;
        }

        while (OtlpJson.NextProperty(ref reader))
        {
            if (!OtlpJson.IsProperty(ref reader, "values"u8))
            {
                reader.Skip();
            }
            else if (OtlpJson.IsArray(ref reader, "arrayValue.values"))
            {
                while (OtlpJson.NextElement(ref reader))
                {
                    array.Values.Add(ReadAnyValue(ref reader) ?? new AnyValue());
                }
            }
        }

        return array;
    }

    private static KeyValueList ReadKeyValueList(ref Utf8JsonReader reader)
    {
        var list = new KeyValueList();
        if (!OtlpJson.IsObject(ref reader, "kvlistValue"))
        {
            return list;
        }

        while (OtlpJson.NextProperty(ref reader))
        {
            if (OtlpJson.IsProperty(ref reader, "values"u8))
            {
                ReadKeyValues(ref reader, list.Values, "kvlistValue.values");
            }
            else
            {
                reader.Skip();
            }
        }

        return list;
    }
}
