using System.Text.Json;
using System.Text.Json.Serialization;

namespace Metering.Contracts;

/// <summary>The wire format every Metering message uses: camelCase JSON, enums as kebab-case strings.</summary>
public static class MeteringJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
