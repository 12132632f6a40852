using System.Text;
using System.Text.Json.Nodes;
using Metering.Pricing.Usage;

namespace Metering.Pricing.Tests;

public sealed class UsageReaderTests
{
    private const string Valid = """
        {
          "eventId": "c0a8-42", "tenantId": "acme", "provider": "deepseek", "model": "deepseek-v4-pro",
          "promptTokens": 12000, "completionTokens": 800, "cachedTokens": 9000, "cacheWriteTokens": 0,
          "maxTokens": 1024, "occurredAt": "2026-11-29T12:00:00Z", "service": "support-bot",
          "requestId": "req-123", "attributes": { "feature": "chat" }, "somethingNew": [1, 2, 3]
        }
        """;

    private static UsageRead Read(string json) => UsageReader.ReadEvent(Encoding.UTF8.GetBytes(json));

    /// <summary>The valid event with one field set (or, with null, removed).</summary>
    private static UsageRead ReadWith(string field, JsonNode? value, bool remove = false)
    {
        var node = JsonNode.Parse(Valid)!.AsObject();
        if (remove)
        {
            node.Remove(field);
        }
        else
        {
            node[field] = value;
        }

        return Read(node.ToJsonString());
    }

    [Fact]
    public void The_spec_example_event_is_valid_and_unknown_fields_are_ignored()
    {
        var usage = Read(Valid).Usage!;

        Assert.Equal(("c0a8-42", "acme", "deepseek", "deepseek-v4-pro"), (usage.EventId, usage.TenantId, usage.Provider, usage.Model));
        Assert.Equal((12000L, 800L, 9000L, 0L, (long?)1024), (usage.PromptTokens, usage.CompletionTokens, usage.CachedTokens, usage.CacheWriteTokens, usage.MaxTokens));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero), usage.OccurredAt);
        Assert.Equal(("support-bot", "req-123", "chat"), (usage.Service, usage.RequestId, usage.Attributes!["feature"]));
    }

    [Fact]
    public void Optional_fields_default_when_absent_or_null()
    {
        var usage = Read("""
            {"eventId":"e","tenantId":"t","provider":"p","model":"m","promptTokens":5,"completionTokens":1,
             "cachedTokens":null,"maxTokens":null,"service":null,"occurredAt":"2026-11-29T12:00:00+01:00"}
            """).Usage!;

        Assert.Equal((0L, 0L, (long?)null, (string?)null, (string?)null), (usage.CachedTokens, usage.CacheWriteTokens, usage.MaxTokens, usage.Service, usage.RequestId));
        Assert.Null(usage.Attributes);
    }

    [Theory]
    [InlineData("eventId", "eventId is required")]
    [InlineData("tenantId", "tenantId is required")]
    [InlineData("provider", "provider is required")]
    [InlineData("model", "model is required")]
    [InlineData("promptTokens", "promptTokens is required")]
    [InlineData("completionTokens", "completionTokens is required")]
    [InlineData("occurredAt", "occurredAt is required")]
    public void A_missing_required_field_is_invalid(string field, string message)
    {
        AssertInvalid(ReadWith(field, null, remove: true), message);
    }

    [Theory]
    [InlineData("eventId", "\"\"", "eventId must not be empty")]
    [InlineData("eventId", "42", "eventId must be a string, got a number")]
    [InlineData("tenantId", "\"acme corp\"", "tenantId must contain only letters, digits")]
    [InlineData("tenantId", "\"acme/evil\"", "tenantId must contain only letters, digits")]
    [InlineData("tenantId", "\"ac\u00e9me\"", "tenantId must contain only letters, digits")]
    [InlineData("provider", "[]", "provider must be a string, got an array")]
    [InlineData("model", "\"\"", "model must not be empty")]
    [InlineData("promptTokens", "-1", "promptTokens must be an integer from 0 to 100000000, got -1")]
    [InlineData("promptTokens", "100000001", "got 100000001")]
    [InlineData("promptTokens", "12.5", "promptTokens must be an integer")]
    [InlineData("promptTokens", "\"12000\"", "promptTokens must be an integer, got a string")]
    [InlineData("promptTokens", "99999999999999999999999999", "promptTokens must be an integer")]
    [InlineData("completionTokens", "true", "completionTokens must be an integer, got a boolean")]
    [InlineData("cachedTokens", "-5", "cachedTokens must be an integer from 0")]
    [InlineData("cacheWriteTokens", "{}", "cacheWriteTokens must be an integer, got an object")]
    [InlineData("maxTokens", "100000001", "maxTokens must be an integer from 0 to 100000000")]
    [InlineData("occurredAt", "\"2026-11-29T12:00:00\"", "occurredAt must be an ISO-8601 timestamp with an offset")]
    [InlineData("occurredAt", "\"2026-11-29\"", "occurredAt must be an ISO-8601 timestamp with an offset")]
    [InlineData("occurredAt", "\"yesterday\"", "occurredAt must be an ISO-8601 timestamp with an offset")]
    [InlineData("occurredAt", "\"2026-02-30T12:00:00Z\"", "occurredAt must be an ISO-8601 timestamp with an offset")]
    [InlineData("occurredAt", "1764417600", "occurredAt must be a string")]
    [InlineData("service", "7", "service must be a string")]
    [InlineData("attributes", "[\"a\"]", "attributes must be an object of string values, got an array")]
    [InlineData("attributes", "{\"n\": 1}", "attributes.n must be a string, got a number")]
    public void A_field_breaking_its_rule_is_invalid_and_the_message_names_field_and_rule(string field, string json, string message)
    {
        AssertInvalid(ReadWith(field, JsonNode.Parse(json)), message);
    }

    [Fact]
    public void Identifiers_and_texts_over_their_length_limits_are_invalid()
    {
        AssertInvalid(ReadWith("eventId", new string('e', 129)), "eventId must be at most 128 characters, got 129");
        AssertInvalid(ReadWith("tenantId", new string('t', 65)), "tenantId must be at most 64 characters");
        AssertInvalid(ReadWith("service", new string('s', 129)), "service must be at most 128 characters");
        AssertInvalid(ReadWith("requestId", new string('r', 129)), "requestId must be at most 128 characters");
        Assert.True(ReadWith("eventId", new string('e', 128)).IsValid);
        Assert.True(ReadWith("tenantId", new string('t', 64)).IsValid);
    }

    [Fact]
    public void Attributes_may_have_at_most_sixteen_keys()
    {
        JsonNode Attributes(int count) => new JsonObject(Enumerable.Range(0, count).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)JsonValue.Create("v"))));

        Assert.True(ReadWith("attributes", Attributes(16)).IsValid);
        AssertInvalid(ReadWith("attributes", Attributes(17)), "attributes must have at most 16 keys");
    }

    [Fact]
    public void Attribute_keys_are_1_to_64_characters_and_values_at_most_512()
    {
        JsonNode One(string key, string value) => new JsonObject { [key] = value };

        Assert.True(ReadWith("attributes", One(new string('k', 64), new string('v', 512))).IsValid);
        AssertInvalid(ReadWith("attributes", One("", "v")), "attribute keys must be 1 to 64 characters, got 0");
        AssertInvalid(ReadWith("attributes", One(new string('k', 65), "v")), "attribute keys must be 1 to 64 characters, got 65");
        AssertInvalid(ReadWith("attributes", One("feature", new string('v', 513))), "attributes.feature must be at most 512 characters, got 513");
        AssertInvalid(ReadWith("attributes", One("feature", new string('v', 5_000_000))), "attributes.feature must be at most 512 characters, got 5000000");
    }

    [Fact]
    public void Reasoning_tokens_are_read_and_may_not_exceed_completion_tokens()
    {
        var read = Read("""{"eventId":"e","tenantId":"t","provider":"p","model":"m","promptTokens":1,"completionTokens":50,"reasoningTokens":50,"occurredAt":"2026-11-29T12:00:00Z"}""");

        Assert.Equal(50, read.Usage?.ReasoningTokens);
        AssertInvalid(
            Read("""{"eventId":"e","tenantId":"t","provider":"p","model":"m","promptTokens":1,"completionTokens":50,"reasoningTokens":51,"occurredAt":"2026-11-29T12:00:00Z"}"""),
            "reasoningTokens (51) are part of completionTokens and must not exceed them (50)");
        AssertInvalid(
            Read("""{"eventId":"e","tenantId":"t","provider":"p","model":"m","promptTokens":1,"completionTokens":50,"reasoningTokens":-1,"occurredAt":"2026-11-29T12:00:00Z"}"""),
            "reasoningTokens");
    }

    [Fact]
    public void Cached_plus_cache_write_tokens_may_not_exceed_prompt_tokens()
    {
        AssertInvalid(
            Read("""{"eventId":"e","tenantId":"t","provider":"p","model":"m","promptTokens":100,"completionTokens":0,"cachedTokens":60,"cacheWriteTokens":41,"occurredAt":"2026-11-29T12:00:00Z"}"""),
            "cachedTokens + cacheWriteTokens (101) must not exceed promptTokens (100)");
        Assert.True(Read("""{"eventId":"e","tenantId":"t","provider":"p","model":"m","promptTokens":100,"completionTokens":0,"cachedTokens":60,"cacheWriteTokens":40,"occurredAt":"2026-11-29T12:00:00Z"}""").IsValid);
    }

    [Fact]
    public void Whole_numbers_written_with_a_fraction_are_integers()
    {
        Assert.Equal(12000, ReadWith("promptTokens", JsonNode.Parse("12000.0")).Usage!.PromptTokens);
    }

    [Fact]
    public void Every_broken_rule_is_reported_not_just_the_first()
    {
        var read = Read("""{"eventId":"e","tenantId":"a b","provider":"p","model":"m","promptTokens":-1,"completionTokens":"x","occurredAt":"now"}""");

        Assert.Equal(RejectionCodes.Invalid, read.Rejection!.Code);
        Assert.Equal(4, read.Rejection.Message.Split("; ").Length);
        Assert.Equal("e", read.EventId);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"eventId\": \"e\"")]
    [InlineData("")]
    [InlineData("{\"eventId\":\"a\",\"eventId\":\"b\"}")]
    public void Text_that_is_not_json_is_malformed(string body)
    {
        var read = Read(body);

        Assert.Equal(RejectionCodes.Malformed, read.Rejection!.Code);
        Assert.Equal(body, Encoding.UTF8.GetString(read.Raw.Span));
    }

    [Fact]
    public void Invalid_utf8_and_random_bytes_are_malformed_and_kept_byte_for_byte()
    {
        byte[] body = [0x7B, 0xFF, 0xFE, 0x00, 0x22];

        var read = Assert.Single(UsageReader.ReadMessage(body));

        Assert.Equal(RejectionCodes.Malformed, read.Rejection!.Code);
        Assert.Equal(body, read.Raw.ToArray());
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_malformed()
    {
        var deep = new string('[', 100) + new string(']', 100);

        Assert.Equal(RejectionCodes.Malformed, Assert.Single(UsageReader.ReadMessage(Encoding.UTF8.GetBytes(deep))).Rejection!.Code);
    }

    [Theory]
    [InlineData("42", "an event must be a JSON object, got a number")]
    [InlineData("\"event\"", "got a string")]
    [InlineData("null", "got null")]
    public void Json_that_is_not_an_object_is_invalid(string body, string message)
    {
        AssertInvalid(Read(body), message);
    }

    [Fact]
    public void A_message_may_hold_an_array_of_events_each_read_on_its_own()
    {
        var body = $"[{Valid}, {{\"eventId\": \"bad\"}}, 7, {Valid.Replace("c0a8-42", "second", StringComparison.Ordinal)}]";

        var reads = UsageReader.ReadMessage(Encoding.UTF8.GetBytes(body));

        Assert.Equal([true, false, false, true], reads.Select(r => r.IsValid));
        Assert.Equal("bad", reads[1].EventId);
        Assert.Equal("{\"eventId\": \"bad\"}", Encoding.UTF8.GetString(reads[1].Raw.Span));
        Assert.Equal("7", Encoding.UTF8.GetString(reads[2].Raw.Span));
        Assert.Equal("second", reads[3].Usage!.EventId);
    }

    [Fact]
    public void A_message_of_more_than_1000_events_is_rejected_whole()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat(Valid, 1_001)) + "]";

        var read = Assert.Single(UsageReader.ReadMessage(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(RejectionCodes.Invalid, read.Rejection!.Code);
        Assert.Contains("at most 1,000 events", read.Rejection.Message, StringComparison.Ordinal);
        Assert.Equal(1_000, UsageReader.ReadMessage(Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(Valid, 1_000)) + "]")).Count);
    }

    [Fact]
    public void A_line_holding_an_array_is_not_one_event()
    {
        AssertInvalid(Read($"[{Valid}]"), "expected one event object, got an array");
    }

    [Fact]
    public void An_enormous_string_is_invalid_and_its_identity_is_shortened()
    {
        var read = ReadWith("eventId", new string('x', 1_000_000));

        Assert.Equal(RejectionCodes.Invalid, read.Rejection!.Code);
        Assert.True(read.EventId!.Length <= 129);
    }

    [Theory]
    [InlineData("eventId", "\"e\\u0000x\"")]
    [InlineData("model", "\"m\\ud800\"")]
    [InlineData("service", "\"\\udc00s\"")]
    [InlineData("attributes", "{\"k\": \"v\\u0000\"}")]
    public void Text_with_nul_or_a_lone_surrogate_is_invalid(string field, string json)
    {
        var node = JsonNode.Parse(Valid)!.AsObject();
        node.Remove(field);
        var body = node.ToJsonString()[..^1] + $", \"{field}\": {json}}}";

        var read = Read(body);

        Assert.Equal(RejectionCodes.Invalid, read.Rejection?.Code);
        Assert.Contains("well-formed Unicode", read.Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_name_with_a_lone_surrogate_is_malformed()
    {
        var node = JsonNode.Parse(Valid)!.AsObject();
        node.Remove("attributes");
        var read = Read(node.ToJsonString()[..^1] + ", \"attributes\": {\"k\\ud83d\": \"v\"}}");

        Assert.Equal(RejectionCodes.Malformed, read.Rejection?.Code);
    }

    [Fact]
    public void A_surrogate_pair_is_fine()
    {
        Assert.Equal("support-\ud83d\ude00", ReadWith("service", JsonNode.Parse("\"support-\\ud83d\\ude00\"")).Usage!.Service);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_tolerated()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Valid)).ToArray();

        Assert.True(Assert.Single(UsageReader.ReadMessage(body)).IsValid);
    }

    private static void AssertInvalid(UsageRead read, string message)
    {
        Assert.False(read.IsValid);
        Assert.Equal(RejectionCodes.Invalid, read.Rejection!.Code);
        Assert.Contains(message, read.Rejection.Message, StringComparison.Ordinal);
    }
}
