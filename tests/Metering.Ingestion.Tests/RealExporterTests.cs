using System.Diagnostics;
using Metering.Ingestion.Otlp;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Metering.Ingestion.Tests;

/// <summary>The OpenTelemetry .NET SDK's own OTLP/HTTP exporter as the client (SPEC §14).</summary>
public sealed class RealExporterTests : IAsyncLifetime
{
    private readonly ActivitySource source = new($"Metering.Ingestion.Tests.{Guid.NewGuid():N}");
    private OtlpReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        source.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public void GenAI_spans_exported_over_OTLP_HTTP_protobuf_become_valid_usage_events()
    {
        var exporter = NewExporter();
        var started = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        string chatTraceId, chatSpanId;
        using (var provider = NewProvider(exporter))
        {
            using (var request = source.StartActivity("POST /chat", ActivityKind.Server))
            {
                using (var chat = StartChat(started))
                {
                    chatTraceId = chat.TraceId.ToHexString();
                    chatSpanId = chat.SpanId.ToHexString();
                }

                using (var embed = source.StartActivity("embeddings text-embedding-3-small", ActivityKind.Client)!)
                {
                    embed.SetTag("gen_ai.operation.name", "embeddings");
                    embed.SetTag("gen_ai.system", "openai");
                    embed.SetTag("gen_ai.request.model", "text-embedding-3-small");
                    embed.SetTag("gen_ai.usage.input_tokens", 42);
                    embed.SetTag("tenant.id", "globex");
                }
            }

            Assert.True(provider.ForceFlush(10_000));
        }

        var bodies = receiver.Bodies.ToArray();
        Assert.NotEmpty(bodies);
        Assert.All(receiver.ContentTypes, type => Assert.Equal("application/x-protobuf", type));
        var batches = bodies.Select(body => OtlpTraces.Read(body, OtlpEncoding.Protobuf)).ToArray();
        Assert.Equal(3, batches.Sum(b => b.Spans));
        Assert.Equal(2, batches.Sum(b => b.GenAiSpans));
        Assert.Equal(1, batches.Sum(b => b.IgnoredSpans));

        var usages = batches.SelectMany(Events.AsConsumed).Select(read => Assert.IsType<Metering.Contracts.TokenUsage>(read.Usage)).ToArray();
        var chatUsage = Assert.Single(usages, u => u.Model == "deepseek-v4-pro");
        Assert.Equal($"{chatTraceId}-{chatSpanId}", chatUsage.EventId);
        Assert.Equal("acme", chatUsage.TenantId);
        Assert.Equal("deepseek", chatUsage.Provider);
        Assert.Equal((12000, 800, 9000, 500, 300, 1024L), (chatUsage.PromptTokens, chatUsage.CompletionTokens, chatUsage.CachedTokens,
            chatUsage.CacheWriteTokens, chatUsage.ReasoningTokens, chatUsage.MaxTokens));
        Assert.Equal(new DateTimeOffset(started), chatUsage.OccurredAt);
        Assert.Equal("support-bot", chatUsage.Service);
        Assert.Equal("req-123", chatUsage.RequestId);
        Assert.Equal("production", chatUsage.Attributes!["deployment.environment.name"]);

        var embedUsage = Assert.Single(usages, u => u.Model == "text-embedding-3-small");
        Assert.Equal(("globex", "openai", 42L, 0L), (embedUsage.TenantId, embedUsage.Provider, embedUsage.PromptTokens, embedUsage.CompletionTokens));
    }

    [Fact]
    public void A_span_exported_twice_gets_the_same_event_id_both_times()
    {
        var exporter = NewExporter();
        Activity chat;
        using (var provider = NewProvider(exporter))
        {
            using (chat = StartChat(DateTime.UtcNow))
            {
            }

            Assert.True(provider.ForceFlush(10_000));

            // What an exporter retry or a collector replay does: the same span, posted again.
            Assert.Equal(ExportResult.Success, exporter.Export(new Batch<Activity>([chat], 1)));
        }

        var bodies = receiver.Bodies.ToArray();
        Assert.Equal(2, bodies.Length);
        var ids = bodies.Select(body => Assert.Single(Events.AsConsumed(OtlpTraces.Read(body, OtlpEncoding.Protobuf))).EventId).ToArray();
        Assert.Equal($"{chat.TraceId.ToHexString()}-{chat.SpanId.ToHexString()}", ids[0]);
        Assert.Equal(ids[0], ids[1]);
    }

    private OtlpTraceExporter NewExporter() => new(new OtlpExporterOptions
    {
        Endpoint = receiver.TracesEndpoint,
        Protocol = OtlpExportProtocol.HttpProtobuf,
        TimeoutMilliseconds = 10_000,
    });

    private TracerProvider NewProvider(OtlpTraceExporter exporter) => Sdk.CreateTracerProviderBuilder()
        .AddSource(source.Name)
        .SetSampler(new AlwaysOnSampler())
        .SetResourceBuilder(ResourceBuilder.CreateEmpty()
            .AddService("support-bot")
            .AddAttributes([new("deployment.environment.name", "production")]))
        .AddProcessor(new SimpleActivityExportProcessor(exporter))
        .Build();

    private Activity StartChat(DateTime started)
    {
        var chat = source.StartActivity("chat deepseek-v4-pro", ActivityKind.Client, parentContext: default, startTime: started)!;
        chat.SetTag("gen_ai.operation.name", "chat");
        chat.SetTag("gen_ai.provider.name", "deepseek");
        chat.SetTag("gen_ai.request.model", "deepseek-v4");
        chat.SetTag("gen_ai.response.model", "deepseek-v4-pro");
        chat.SetTag("gen_ai.response.id", "req-123");
        chat.SetTag("gen_ai.request.max_tokens", 1024);
        chat.SetTag("gen_ai.usage.input_tokens", 12000);
        chat.SetTag("gen_ai.usage.output_tokens", 800);
        chat.SetTag("gen_ai.usage.cache_read.input_tokens", 9000);
        chat.SetTag("gen_ai.usage.cache_creation.input_tokens", 500L);
        chat.SetTag("gen_ai.usage.reasoning.output_tokens", 300);
        chat.SetTag("tenant.id", "acme");
        return chat;
    }
}
