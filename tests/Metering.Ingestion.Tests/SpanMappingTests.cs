using OpenTelemetry.Proto.Common.V1;
using Metering.Ingestion.Otlp;
using static Metering.Ingestion.Tests.Spans;

namespace Metering.Ingestion.Tests;

public sealed class SpanMappingTests
{
    [Fact]
    public void A_chat_span_becomes_a_valid_event_with_every_field_mapped()
    {
        var batch = Events.ReadProtobuf(Export(
            [Attribute("deployment.environment.name", "production")],
            Chat(Attribute("gen_ai.usage.cache_creation.input_tokens", 500L), Attribute("gen_ai.usage.reasoning.output_tokens", 300L),
                Attribute("server.address", "api.deepseek.com"))));

        var e = Events.Single(batch);
        Assert.Equal(EventId, e.GetProperty("eventId").GetString());
        Assert.Equal("acme", e.GetProperty("tenantId").GetString());
        Assert.Equal("deepseek", e.GetProperty("provider").GetString());
        Assert.Equal("deepseek-v4-pro", e.GetProperty("model").GetString());
        Assert.Equal(12000, e.GetProperty("promptTokens").GetInt64());
        Assert.Equal(800, e.GetProperty("completionTokens").GetInt64());
        Assert.Equal(9000, e.GetProperty("cachedTokens").GetInt64());
        Assert.Equal(500, e.GetProperty("cacheWriteTokens").GetInt64());
        Assert.Equal(300, e.GetProperty("reasoningTokens").GetInt64());
        Assert.Equal(1024, e.GetProperty("maxTokens").GetInt64());
        Assert.Equal("2026-11-29T12:00:00Z", e.GetProperty("occurredAt").GetString());
        Assert.Equal("support-bot", e.GetProperty("service").GetString());
        Assert.Equal("req-123", e.GetProperty("requestId").GetString());
        var attributes = e.GetProperty("attributes");
        Assert.Equal("chat", attributes.GetProperty("gen_ai.operation.name").GetString());
        Assert.Equal("api.deepseek.com", attributes.GetProperty("server.address").GetString());
        Assert.Equal("production", attributes.GetProperty("deployment.environment.name").GetString());
        Assert.Equal(3, attributes.EnumerateObject().Count());

        var usage = Assert.Single(Events.AsConsumed(batch)).Usage!;
        Assert.Equal(12000, usage.PromptTokens);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero), usage.OccurredAt);
    }

    [Fact]
    public void Sub_second_start_times_keep_their_fraction_in_UTC()
    {
        var span = Chat();
        span.StartTimeUnixNano = StartNanos + 123_456_789;

        var e = Events.Single(Events.ReadProtobuf(Export(span)));

        Assert.Equal("2026-11-29T12:00:00.1234567Z", e.GetProperty("occurredAt").GetString());
    }

    [Fact]
    public void Spans_without_usage_are_ignored_and_counted_even_with_an_operation_name()
    {
        var agent = Chat().Without("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens");

        var batch = Events.ReadProtobuf(Export(Http(), agent, Chat()));

        Assert.Equal(3, batch.Spans);
        Assert.Equal(1, batch.GenAiSpans);
        Assert.Equal(2, batch.IgnoredSpans);
        Assert.Single(Events.Of(batch));
    }

    [Fact]
    public void An_export_without_GenAI_spans_gives_an_empty_array()
    {
        var batch = Events.ReadProtobuf(Export(Http()));

        Assert.Equal("[]"u8.ToArray(), batch.Events);
        Assert.Equal((1, 0, 1), (batch.Spans, batch.GenAiSpans, batch.IgnoredSpans));
    }

    [Fact]
    public void The_event_id_is_lowercase_hex_trace_id_dash_span_id()
    {
        var span = Chat();
        span.TraceId = Google.Protobuf.ByteString.CopyFrom(Convert.FromHexString("ABCDEF0123456789ABCDEF0123456789"));

        var e = Events.Single(Events.ReadProtobuf(Export(span)));

        Assert.Equal("abcdef0123456789abcdef0123456789-" + SpanIdHex, e.GetProperty("eventId").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("0102")]
    public void A_span_with_an_invalid_trace_id_gets_no_event_id_and_is_rejected(string traceIdHex)
    {
        var span = Chat();
        span.TraceId = Google.Protobuf.ByteString.CopyFrom(Convert.FromHexString(traceIdHex));

        var batch = Events.ReadProtobuf(Export(span));

        Assert.False(Events.Single(batch).Has("eventId"));
        Assert.Contains("eventId is required", Assert.Single(Events.AsConsumed(batch)).Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tenant_comes_from_the_span_before_the_resource()
    {
        var batch = Events.ReadProtobuf(Export([Attribute("tenant.id", "resource-tenant")], Chat(), Chat().Without("tenant.id")));

        var events = Events.Of(batch);
        Assert.Equal("acme", events[0].GetProperty("tenantId").GetString());
        Assert.Equal("resource-tenant", events[1].GetProperty("tenantId").GetString());
    }

    [Fact]
    public void The_tenant_attribute_is_configurable()
    {
        var options = new OtlpReadOptions { TenantAttribute = "app.customer" };

        var e = Events.Single(Events.ReadProtobuf(Export([Attribute("app.customer", "globex")], Chat()), options));

        Assert.Equal("globex", e.GetProperty("tenantId").GetString());
    }

    [Fact]
    public void A_GenAI_span_without_a_tenant_is_kept_as_an_event_the_consumer_rejects()
    {
        var batch = Events.ReadProtobuf(Export(Chat().Without("tenant.id")));

        Assert.Equal(1, batch.GenAiSpans);
        Assert.False(Events.Single(batch).Has("tenantId"));
        var read = Assert.Single(Events.AsConsumed(batch));
        Assert.Contains("tenantId is required", read.Rejection!.Message, StringComparison.Ordinal);
        Assert.Equal(EventId, read.EventId);
    }

    [Fact]
    public void A_span_tenant_that_is_not_text_is_not_replaced_by_the_resource_tenant()
    {
        var batch = Events.ReadProtobuf(Export([Attribute("tenant.id", "resource-tenant")], Chat().With(Attribute("tenant.id", true))));

        Assert.False(Events.Single(batch).Has("tenantId"));
        Assert.False(Assert.Single(Events.AsConsumed(batch)).IsValid);
    }

    [Fact]
    public void A_numeric_tenant_id_is_written_as_its_digits()
    {
        var e = Events.Single(Events.ReadProtobuf(Export(Chat().With(Attribute("tenant.id", 4711L)))));

        Assert.Equal("4711", e.GetProperty("tenantId").GetString());
    }

    [Fact]
    public void The_provider_falls_back_to_the_older_gen_ai_system()
    {
        var span = Chat().Without("gen_ai.provider.name").With(Attribute("gen_ai.system", "openai"));

        Assert.Equal("openai", Events.Single(Events.ReadProtobuf(Export(span))).GetProperty("provider").GetString());
    }

    [Fact]
    public void The_response_model_wins_over_the_request_model_which_is_the_fallback()
    {
        var requested = Chat().Without("gen_ai.response.model");

        var events = Events.Of(Events.ReadProtobuf(Export(Chat(), requested)));

        Assert.Equal("deepseek-v4-pro", events[0].GetProperty("model").GetString());
        Assert.Equal("deepseek-v4", events[1].GetProperty("model").GetString());
    }

    [Fact]
    public void Optional_fields_are_absent_when_the_span_lacks_them()
    {
        var span = Chat().Without("gen_ai.usage.cache_read.input_tokens", "gen_ai.request.max_tokens", "gen_ai.response.id", "gen_ai.operation.name");

        var e = Events.Single(Events.ReadProtobuf(Export(span)));

        foreach (var field in new[] { "cachedTokens", "cacheWriteTokens", "reasoningTokens", "maxTokens", "requestId", "attributes" })
        {
            Assert.False(e.Has(field), field);
        }
    }

    [Fact]
    public void Integral_counts_sent_as_strings_or_doubles_are_accepted()
    {
        var span = Chat().With(Attribute("gen_ai.usage.input_tokens", "12000")).With(Attribute("gen_ai.usage.output_tokens", 800.0));

        var usage = Assert.Single(Events.AsConsumed(Events.ReadProtobuf(Export(span)))).Usage!;

        Assert.Equal((12000, 800), (usage.PromptTokens, usage.CompletionTokens));
    }

    public static TheoryData<KeyValue> UnusableCounts => new()
    {
        Attribute("gen_ai.usage.input_tokens", "lots"),
        Attribute("gen_ai.usage.input_tokens", 12.5),
        Attribute("gen_ai.usage.input_tokens", true),
        Attribute("gen_ai.usage.input_tokens", -5L),
        Attribute("gen_ai.usage.cache_read.input_tokens", "9k"),
        Attribute("gen_ai.request.max_tokens", double.NaN),
    };

    [Theory]
    [MemberData(nameof(UnusableCounts))]
    public void A_count_that_is_not_a_usable_integer_makes_the_consumer_reject_the_event(KeyValue count)
    {
        var batch = Events.ReadProtobuf(Export(Chat().With(count)));

        Assert.Equal(1, batch.GenAiSpans);
        Assert.False(Assert.Single(Events.AsConsumed(batch)).IsValid);
    }

    [Fact]
    public void An_unusable_count_is_echoed_as_a_string_so_the_rejection_shows_it()
    {
        var e = Events.Single(Events.ReadProtobuf(Export(Chat().With(Attribute("gen_ai.usage.input_tokens", "lots")))));

        Assert.Equal("lots", e.GetProperty("promptTokens").GetString());
    }

    [Fact]
    public void A_chat_span_with_input_tokens_only_is_rejected_for_its_missing_output_tokens()
    {
        var batch = Events.ReadProtobuf(Export(Chat().Without("gen_ai.usage.output_tokens")));

        Assert.Contains("completionTokens is required", Assert.Single(Events.AsConsumed(batch)).Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embeddings_span_has_no_output_tokens_so_they_are_zero()
    {
        var span = Chat().Without("gen_ai.usage.output_tokens").With(Attribute("gen_ai.operation.name", "embeddings"));

        var usage = Assert.Single(Events.AsConsumed(Events.ReadProtobuf(Export(span)))).Usage!;

        Assert.Equal((12000, 0), (usage.PromptTokens, usage.CompletionTokens));
    }

    [Fact]
    public void Allow_listed_attributes_that_break_the_event_limits_are_left_out_rather_than_reject_the_call()
    {
        var span = Chat().With(Attribute("server.address", new string('x', 513))).With(Attribute("gen_ai.response.id", new string('r', 129)));

        var batch = Events.ReadProtobuf(Export(span));

        var e = Events.Single(batch);
        Assert.False(e.GetProperty("attributes").Has("server.address"));
        Assert.False(e.Has("requestId"));
        Assert.True(Assert.Single(Events.AsConsumed(batch)).IsValid);
    }

    [Fact]
    public void Other_span_attributes_never_reach_the_event()
    {
        var e = Events.Single(Events.ReadProtobuf(Export(Chat(Attribute("gen_ai.prompt", "secret"), Attribute("user.id", "u1")))));

        Assert.DoesNotContain("secret", e.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(["gen_ai.operation.name"], e.GetProperty("attributes").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Spans_are_counted_across_resources_and_scopes()
    {
        var request = Export(Chat(), Http());
        request.ResourceSpans.Add(Export(Http(), Http()).ResourceSpans[0]);
        request.ResourceSpans[1].ScopeSpans.Add(Export(Chat()).ResourceSpans[0].ScopeSpans[0]);

        var batch = Events.ReadProtobuf(request);

        Assert.Equal((5, 2, 3), (batch.Spans, batch.GenAiSpans, batch.IgnoredSpans));
        Assert.All(Events.AsConsumed(batch), read => Assert.True(read.IsValid));
    }
}
