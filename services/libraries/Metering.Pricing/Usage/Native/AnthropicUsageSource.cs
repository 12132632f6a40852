using System.Text.Json;

namespace Metering.Pricing.Usage.Native;

/// <summary>
/// Where an Anthropic usage is read from: a message's <c>usage</c> and, for a stream, the last <c>message_delta</c>'s
/// cumulative <c>usage</c> laid over it field by field (a delta reports only what changed, or everything again).
/// </summary>
/// <param name="Message">The message (or event) that names the model.</param>
/// <param name="At">The message's path from the envelope, for messages.</param>
internal sealed record AnthropicUsageSource(JsonElement Message, string At, JsonElement Usage, string UsageAt, JsonElement? Delta, string? DeltaAt)
{
    /// <summary>The object that holds the field (the delta when it reports it, else the message's usage) and its path.</summary>
    public (JsonElement Holder, string At) Field(string name) =>
        Delta is { } delta && ResponseFields.Has(delta, name) ? (delta, DeltaAt!) : (Usage, UsageAt);
}
