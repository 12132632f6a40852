using Metering.Ingestion.Otlp;

namespace Metering.Ingestion.Tests;

public sealed class OtlpFormatTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "the body must be an ExportTraceServiceRequest object")]
    [InlineData("{\"resourceSpans\": {}}", "resourceSpans must be an array")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [1]}]}]}", "spans[] must be an object, got a number")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"xyz!\"}]}]}]}", "traceId must be a hex string")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"spanId\": 42}]}]}]}", "spanId must be a hex string")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"startTimeUnixNano\": \"-1\"}]}]}]}", "startTimeUnixNano must be an unsigned 64-bit integer")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"attributes\": [{\"key\": \"a\", \"value\": {\"intValue\": \"1.5\"}}]}]}]}]}", "intValue must be a 64-bit integer")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"attributes\": [{\"key\": 1}]}]}]}]}", "key must be a string")]
    [InlineData("{\"resourceSpans\": []} {}", "not valid JSON")]
    [InlineData("{\"resourceSpans\": [", "not valid JSON")]
    public void A_body_that_is_not_OTLP_JSON_throws_a_format_exception_that_says_why(string body, string reason)
    {
        var e = Assert.Throws<OtlpFormatException>(() => Events.ReadJson(body));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_attribute_values_are_a_format_error_not_a_stack_overflow()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"arrayValue\": {\"values\": [", 100)) + "{}" + string.Concat(Enumerable.Repeat("]}}", 100));
        var body = $$"""{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": [{"key": "a", "value": {{nested}}}]}]}]}]}""";

        Assert.Throws<OtlpFormatException>(() => Events.ReadJson(body));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x0A, 0x10, 0x01 })]
    [InlineData(new byte[] { (byte)'{', (byte)'}' })]
    public void A_body_that_is_not_an_OTLP_protobuf_request_throws_a_format_exception(byte[] body)
    {
        var e = Assert.Throws<OtlpFormatException>(() => OtlpTraces.Read(body, OtlpEncoding.Protobuf));

        Assert.Contains("not an OTLP protobuf ExportTraceServiceRequest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_protobuf_body_is_an_export_without_spans()
    {
        Assert.Equal(0, OtlpTraces.Read(ReadOnlyMemory<byte>.Empty, OtlpEncoding.Protobuf).Spans);
    }
}
