using System.Diagnostics;
using Metering.Contracts;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Metering.Samples.Gateway.Traffic;

/// <summary>
/// The OTLP door: each call recorded as an OpenTelemetry GenAI client span and exported by the SDK's own OTLP/HTTP
/// exporter to the API's <c>/v1/traces</c>, as an instrumented service would. One tracer provider per tenant
/// service, so each span's resource names its service and tenant (<c>service.name</c>, <c>tenant.id</c>).
/// </summary>
public sealed class GenAiSpans(IOptions<GatewayOptions> options) : IDisposable
{
    // Built at the first call, once the options have been validated: a missing ApiUrl is reported as such, not as a null Uri.
    private readonly Lazy<Dictionary<string, (ActivitySource Source, TracerProvider Provider)>> tenants = new(() => Build(options.Value));

    /// <summary>Records the call as a finished span; the exporter sends it within a second.</summary>
    public void Record(TokenUsage call)
    {
        var (source, _) = tenants.Value[call.TenantId];
        using var span = source.StartActivity($"chat {call.Model}", ActivityKind.Client, parentContext: default, startTime: call.OccurredAt);
        if (span is null)
        {
            return;
        }

        span.SetTag("gen_ai.operation.name", "chat");
        span.SetTag("gen_ai.provider.name", call.Provider);
        span.SetTag("gen_ai.request.model", call.Model);
        span.SetTag("gen_ai.response.id", call.RequestId);
        span.SetTag("gen_ai.usage.input_tokens", call.PromptTokens);
        span.SetTag("gen_ai.usage.output_tokens", call.CompletionTokens);
        span.SetTag("gen_ai.usage.cache_read.input_tokens", call.CachedTokens);
        if (call.MaxTokens is { } maxTokens)
        {
            span.SetTag("gen_ai.request.max_tokens", maxTokens);
        }
    }

    /// <summary>Flushes what is still buffered, so a stopping gateway loses no span it served.</summary>
    public void Dispose()
    {
        if (!tenants.IsValueCreated)
        {
            return;
        }

        foreach (var (source, provider) in tenants.Value.Values)
        {
            provider.ForceFlush(5_000);
            provider.Dispose();
            source.Dispose();
        }
    }

    private static Dictionary<string, (ActivitySource Source, TracerProvider Provider)> Build(GatewayOptions options)
    {
        var tenants = new Dictionary<string, (ActivitySource, TracerProvider)>();
        foreach (var tenant in options.Tenants)
        {
            var source = new ActivitySource($"Metering.Samples.Gateway.{tenant.TenantId}");
            var provider = Sdk.CreateTracerProviderBuilder()
                .AddSource(source.Name)
                .SetSampler(new AlwaysOnSampler())
                .SetResourceBuilder(ResourceBuilder.CreateEmpty()
                    .AddService(tenant.Service ?? "sample-gateway")
                    .AddAttributes([new("tenant.id", tenant.TenantId)]))
                .AddOtlpExporter(otlp =>
                {
                    otlp.Endpoint = new Uri(options.ApiUrl!, "v1/traces");
                    otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
                    otlp.Headers = $"Authorization=Bearer {options.ApiKey}";
                    otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 1_000;
                })
                .Build();
            tenants[tenant.TenantId] = (source, provider);
        }

        return tenants;
    }
}
