using System.Text.Json;
using Metering.Ingestion.Otlp;
using static Metering.Ingestion.Tests.Spans;

namespace Metering.Ingestion.Tests;

public sealed class MessageBodyTests
{
    private static Google.Protobuf.Collections.RepeatedField<OpenTelemetry.Proto.Trace.V1.Span> Numbered(int count)
    {
        var spans = new Google.Protobuf.Collections.RepeatedField<OpenTelemetry.Proto.Trace.V1.Span>();
        for (var i = 0; i < count; i++)
        {
            var span = Chat().With(Attribute("gen_ai.response.id", $"req-{i}"));
            span.SpanId = Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes((long)i + 1));
            spans.Add(span);
        }

        return spans;
    }

    [Fact]
    public void An_export_that_fits_one_message_is_published_as_its_events_array_unchanged()
    {
        var batch = Events.ReadProtobuf(Export(Chat(), Http()));

        var body = Assert.Single(batch.MessageBodies());

        Assert.Equal(batch.Events, body.ToArray());
    }

    [Fact]
    public void An_export_without_GenAI_spans_has_no_message_to_publish()
    {
        Assert.Empty(Events.ReadProtobuf(Export(Http())).MessageBodies());
    }

    [Fact]
    public void A_large_export_is_split_into_valid_arrays_of_at_most_the_limit_in_order()
    {
        var batch = Events.ReadProtobuf(Export([.. Numbered(7)]));

        var bodies = batch.MessageBodies(maxEvents: 3).ToArray();

        Assert.Equal([3, 3, 1], bodies.Select(b => JsonDocument.Parse(b).RootElement.GetArrayLength()));
        var ids = bodies.SelectMany(b => JsonDocument.Parse(b).RootElement.EnumerateArray().Select(e => e.GetProperty("requestId").GetString()));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"req-{i}"), ids);
        Assert.All(bodies, b => Assert.All(Metering.Pricing.Usage.UsageReader.ReadMessage(b), read => Assert.True(read.IsValid)));
    }

    [Fact]
    public void More_than_1000_GenAI_spans_are_split_into_messages_the_consumer_accepts()
    {
        var batch = Events.ReadProtobuf(Export([.. Numbered(1001)]));

        var bodies = batch.MessageBodies().ToArray();

        Assert.Equal(2, bodies.Length);
        Assert.Equal(1001, bodies.Sum(b => Metering.Pricing.Usage.UsageReader.ReadMessage(b).Count(read => read.IsValid)));
    }
}
