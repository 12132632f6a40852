using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// The streaming rule of SPEC §14: <c>response</c> is either one object (a whole response, or the final chunk or event
/// of a stream) or the array of a stream's chunks or events, of which the last one that carries usage is read.
/// Streams report usage cumulatively, so the last report is the whole call; earlier ones would under-bill.
/// </summary>
internal static class StreamEvents
{
    /// <param name="carriesUsage">Whether a chunk holds the usage this format reads.</param>
    /// <param name="final">The object to read: the response itself, or the last chunk that carries usage.</param>
    /// <param name="at">Its path from the envelope, <c>response</c> or <c>response[7]</c>, for messages.</param>
    public static bool TryFinal(
        JsonElement response, Func<JsonElement, bool> carriesUsage, string usageName, List<string> problems, out JsonElement final, out string at)
    {
        final = response;
        at = "response";
        if (response.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        if (response.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"response must be an object (the provider's response or the final chunk of its stream) or an array of stream chunks, got {UsageReader.KindName(response.ValueKind)}");
            return false;
        }

        var count = response.GetArrayLength();
        for (var i = count - 1; i >= 0; i--)
        {
            var chunk = response[i];
            if (chunk.ValueKind == JsonValueKind.Object && carriesUsage(chunk))
            {
                final = chunk;
                at = $"response[{i}]";
                return true;
            }
        }

        problems.Add(count == 0
            ? "response must not be an empty array of stream chunks"
            : $"response holds {count} stream chunks and none carries {usageName}: ask the provider to report usage in the stream (OpenAI-style APIs: stream_options.include_usage)");
        return false;
    }

    /// <summary>Whether the chunk has an object-valued property <paramref name="name"/> (a <c>usage</c> that is not null).</summary>
    public static bool HasObject(JsonElement chunk, string name) =>
        chunk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object;
}
