using System.Text;
using Metering.Pricing.Usage;
using Metering.Pricing.Usage.Native;

namespace Metering.Pricing.Tests.Native;

/// <summary>
/// SPEC §14: every recorded-shape payload normalises to the §3 counts its provider means — prompt inclusive of cache
/// reads and writes, completion inclusive of reasoning — whatever convention the provider reports them in.
/// </summary>
public sealed class NativeAdapterTests
{
    /// <summary>File, then the counts worked out by hand from the provider's documented convention.</summary>
    public static TheoryData<string, long, long, long, long, long, string> Expected { get; } = new()
    {
        { "openai-chat.json", 2006, 300, 1920, 0, 0, "gpt-4o-2024-08-06" },
        { "openai-chat-reasoning.json", 75, 1186, 0, 0, 1024, "o3-mini-2025-01-31" },
        { "openai-chat-stream-final-chunk.json", 1412, 87, 1280, 0, 0, "gpt-4o-mini-2024-07-18" },
        { "openai-chat-stream.json", 19, 3, 0, 0, 0, "gpt-4.1-2025-04-14" },
        { "openai-responses.json", 5230, 1514, 4096, 0, 1344, "o4-mini-2025-04-16" },
        { "openai-responses-stream-completed.json", 320, 2, 0, 0, 0, "gpt-4.1-mini-2025-04-14" },
        { "openai-responses-stream.json", 2890, 458, 2560, 0, 448, "gpt-5-2025-08-07" },

        // Anthropic's input_tokens excludes the cache: 12 + 1536 written + 187362 read.
        { "anthropic-messages.json", 2095, 503, 0, 0, 0, "claude-sonnet-4-20250514" },
        { "anthropic-messages-cache.json", 188910, 1931, 187362, 1536, 0, "claude-opus-4-1-20250805" },
        { "anthropic-messages-stream.json", 4633, 15, 4608, 0, 0, "claude-3-5-haiku-20241022" },
        { "anthropic-messages-stream-delta-full.json", 15700, 689, 10240, 2048, 0, "claude-sonnet-4-5-20250929" },

        { "deepseek-chat.json", 12000, 800, 9000, 0, 0, "deepseek-chat" },
        { "deepseek-reasoner.json", 640, 1350, 512, 0, 1210, "deepseek-reasoner" },
        { "deepseek-chat-hit-only.json", 4200, 60, 3840, 0, 0, "deepseek-chat" },
        { "deepseek-chat-stream.json", 1536, 11, 1408, 0, 0, "deepseek-chat" },

        // Gemini's thoughts lie outside candidates, its tool-use prompt outside the prompt; the cache lies inside it.
        { "gemini.json", 11, 1032, 0, 0, 1024, "gemini-2.5-flash" },
        { "gemini-cached.json", 48213, 1098, 40960, 0, 686, "gemini-2.5-pro" },
        { "gemini-tool-use.json", 405, 24, 0, 0, 0, "gemini-2.0-flash" },
        { "gemini-stream.json", 9, 548, 0, 0, 336, "gemini-2.5-flash-lite" },

        // Bedrock's inputTokens excludes the cache too; the model comes from the envelope.
        { "bedrock-converse.json", 30, 628, 0, 0, 0, "anthropic.claude-3-5-sonnet-20241022-v2:0" },
        { "bedrock-converse-cache.json", 6162, 211, 4096, 2052, 0, "us.anthropic.claude-3-7-sonnet-20250219-v1:0" },
        { "bedrock-converse-stream-metadata.json", 2746, 96, 1536, 0, 0, "amazon.nova-pro-v1:0" },
        { "bedrock-converse-stream.json", 22, 4, 0, 0, 0, "meta.llama3-1-70b-instruct-v1:0" },

        { "mistral.json", 16, 34, 0, 0, 0, "mistral-large-latest" },
        { "mistral-cached.json", 3100, 2250, 2048, 0, 1900, "magistral-medium-2507" },
        { "mistral-stream.json", 7, 3, 0, 0, 0, "mistral-small-latest" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_payload_normalises_to_the_counts_its_provider_means(
        string file, long prompt, long completion, long cached, long cacheWrite, long reasoning, string model)
    {
        var read = NativePayloads.Read(file);

        Assert.True(read.IsValid, read.Rejection?.Message);
        var usage = read.Usage!;
        Assert.Equal((prompt, completion, cached, cacheWrite, reasoning), (usage.PromptTokens, usage.CompletionTokens, usage.CachedTokens, usage.CacheWriteTokens, usage.ReasoningTokens));
        Assert.Equal(model, usage.Model);
    }

    [Fact]
    public void Every_payload_file_has_expected_counts_and_every_format_has_payloads()
    {
        var covered = Expected.Select(row => (string)row[0]).ToHashSet();

        Assert.Equal(NativePayloads.Names.Order(), covered.Order());
        Assert.All(NativeUsageAdapters.Formats, format => Assert.Contains(NativePayloads.Names, name => name.StartsWith(format, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_rest_of_the_envelope_is_read_as_a_usage_event_is()
    {
        var usage = NativePayloads.Read("openai-chat.json").Usage!;

        Assert.Equal(("native-openai-chat-1", "acme", "openai"), (usage.EventId, usage.TenantId, usage.Provider));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero), usage.OccurredAt);
        Assert.Equal(("support-bot", "req-oa-1", "chat", (long?)1024), (usage.Service, usage.RequestId, usage.Attributes!["feature"], usage.MaxTokens));
    }

    [Fact]
    public void A_null_format_is_no_format_and_the_event_is_read_as_a_plain_usage_event()
    {
        var read = UsageReader.ReadEvent(Encoding.UTF8.GetBytes("""
            {"eventId":"e","tenantId":"t","provider":"p","model":"m","promptTokens":5,"completionTokens":1,"format":null,"occurredAt":"2026-11-29T12:00:00Z"}
            """));

        Assert.Equal((5L, "m"), (read.Usage!.PromptTokens, read.Usage.Model));
    }

    [Fact]
    public void The_envelopes_model_wins_over_the_responses()
    {
        var envelope = NativePayloads.Envelope("openai-chat.json");
        envelope["model"] = "gpt-4o";

        Assert.Equal("gpt-4o", NativePayloads.Read(envelope).Usage!.Model);
    }

    [Fact]
    public void Counts_in_the_envelope_are_ignored_the_response_is_what_is_billed()
    {
        var envelope = NativePayloads.Envelope("anthropic-messages.json");
        envelope["promptTokens"] = 1;
        envelope["completionTokens"] = 1;

        Assert.Equal((2095L, 503L), (NativePayloads.Read(envelope).Usage!.PromptTokens, NativePayloads.Read(envelope).Usage!.CompletionTokens));
    }

    [Fact]
    public void A_message_mixes_plain_events_and_native_envelopes_and_a_bad_one_rejects_only_itself()
    {
        var broken = NativePayloads.Envelope("gemini.json");
        broken["response"]!["usageMetadata"]!["promptTokenCount"] = "eleven";
        var body = $$"""
            [
              {"eventId":"plain","tenantId":"acme","provider":"openai","model":"gpt-4o","promptTokens":5,"completionTokens":1,"occurredAt":"2026-11-29T12:00:00Z"},
              {{NativePayloads.Envelope("anthropic-messages-cache.json").ToJsonString()}},
              {{broken.ToJsonString()}}
            ]
            """;

        var reads = UsageReader.ReadMessage(Encoding.UTF8.GetBytes(body));

        Assert.Equal([true, true, false], reads.Select(r => r.IsValid));
        Assert.Equal(188910, reads[1].Usage!.PromptTokens);
        Assert.Equal("native-gemini-1", reads[2].EventId);
        Assert.Contains("response.usageMetadata.promptTokenCount must be an integer, got a string", reads[2].Rejection!.Message, StringComparison.Ordinal);
        Assert.Equal(broken.ToJsonString(), Encoding.UTF8.GetString(reads[2].Raw.Span));
    }
}
