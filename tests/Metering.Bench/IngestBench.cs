using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Metering.Testing;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Metering.Bench;

/// <summary>
/// <c>ingest</c>: the HTTP front doors of SPEC §14 against the real API process and RabbitMQ. Concurrent clients post
/// 100-event batches to <c>/v1/events</c> and 100-span OTLP/protobuf exports to <c>/v1/traces</c>; a rate counts only
/// what was answered 202/200, that is confirmed by the broker. At the end, the consumer's endpoint (the transport
/// ceiling's counting consumer) must have received every accepted event: nothing answered as accepted is missing.
/// </summary>
internal static class IngestBench
{
    private const string Key = "bench-admin-key";

    public static Command Command()
    {
        var events = new Option<int>("--events") { Description = "Events posted to /v1/events, in batches of --batch.", DefaultValueFactory = _ => 300_000 };
        var spans = new Option<int>("--spans") { Description = "GenAI spans exported to /v1/traces, in exports of --batch.", DefaultValueFactory = _ => 100_000 };
        var batch = new Option<int>("--batch") { Description = "Events per request and spans per export.", DefaultValueFactory = _ => 100 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 16 };
        var command = new Command("ingest", "Throughput of POST /v1/events and POST /v1/traces, confirmed by RabbitMQ.") { events, spans, batch, clients };
        command.SetAction(async (parse, cancellation) =>
        {
            await RunAsync(parse.GetValue(events), parse.GetValue(spans), parse.GetValue(batch), parse.GetValue(clients), cancellation);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(int events, int spans, int batch, int clients, CancellationToken cancellation)
    {
        await using var environment = await BenchEnvironment.CreateAsync();
        await using var consumer = await NullConsumer.StartAsync(environment.Vhost.Uri);
        var port = Ports.Free();
        var api = environment.Start("Metering.Api", ("Api:AdminKey", Key), ("Database:MigrateAtStart", "true"), ("Urls", $"http://127.0.0.1:{port}"));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await Eventually.Until(() => Answers(http), up => up, () => $"the API on port {port}; it wrote: {api.RecentOutput}", TimeSpan.FromSeconds(60));

        var run = Guid.NewGuid().ToString("N")[..8];
        var eventBodies = Workload.Bodies(events, batch, run).Select(body => Json(body)).ToList();
        var exports = Exports(spans, batch).ToList();
        Console.Error.WriteLine($"{eventBodies.Count:N0} event batches and {exports.Count:N0} OTLP exports of {batch} ready; {clients} clients");

        // Warm up: JIT, connections, the broker channel.
        await PostAllAsync(http, "/v1/events", eventBodies.Take(clients * 4).ToList(), clients, HttpStatusCode.Accepted, cancellation);
        await PostAllAsync(http, "/v1/traces", exports.Take(clients * 4).ToList(), clients, HttpStatusCode.OK, cancellation);
        long warmed = Math.Min(eventBodies.Count, clients * 4) + Math.Min(exports.Count, clients * 4);
        await Eventually.Until(() => Task.FromResult(NullConsumer.Consumed), consumed => consumed >= warmed, "the warm-up consumed", TimeSpan.FromMinutes(1));

        var eventsTook = await PostAllAsync(http, "/v1/events", eventBodies, clients, HttpStatusCode.Accepted, cancellation);
        var spansTook = await PostAllAsync(http, "/v1/traces", exports, clients, HttpStatusCode.OK, cancellation);

        // Every accepted body reached the queue: the counting consumer sees them all (messages, one per request).
        var expected = warmed + eventBodies.Count + exports.Count;
        await Eventually.Until(() => Task.FromResult(NullConsumer.Consumed), consumed => consumed >= expected,
            () => $"{expected:N0} messages consumed, {NullConsumer.Consumed:N0} so far", TimeSpan.FromMinutes(2));

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients} concurrent clients, {batch} events or spans per request, API and RabbitMQ on this machine"));
        Console.WriteLine("| door | requests | accepted | per second | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("POST /v1/events (JSON, 202 = confirmed)", eventBodies.Count, events, eventsTook, "events");
        Row("POST /v1/traces (OTLP protobuf, 200 = confirmed)", exports.Count, spans, spansTook, "spans");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"every accepted request reached the consumer's queue: {NullConsumer.Consumed:N0} messages"));

        void Row(string label, int requests, int items, Percentiles took, string unit) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {requests:N0} | {items:N0} {unit} | {took.PerSecond * batch:N0} {unit}/s | {took.P50:0.0} | {took.P99:0.0} |"));
    }

    /// <summary>Posts every body once, <paramref name="clients"/> at a time; any other status than <paramref name="expected"/> stops the bench.</summary>
    private static async Task<Percentiles> PostAllAsync(HttpClient http, string path, List<Func<HttpContent>> bodies, int clients, HttpStatusCode expected, CancellationToken cancellation)
    {
        var next = -1;
        var latencies = new List<double>(bodies.Count);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(path, bodies[i](), cancellation);
                var answer = await response.Content.ReadAsStringAsync(cancellation);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != expected)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {answer}");
                }

                lock (latencies)
                {
                    latencies.Add(elapsed);
                }
            }
        }));
        return Percentiles.Of(latencies, clock.Elapsed);
    }

    private static Func<HttpContent> Json(byte[] body) => () => new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    /// <summary>OTLP exports of <paramref name="perExport"/> GenAI chat spans each, as a service's exporter batches them.</summary>
    private static IEnumerable<Func<HttpContent>> Exports(int spans, int perExport)
    {
        var random = new Random(7);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        for (var first = 0; first < spans; first += perExport)
        {
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "bench" } };
            for (var i = first; i < Math.Min(spans, first + perExport); i++)
            {
                var span = new Span
                {
                    TraceId = ByteString.CopyFrom(Bytes(random, 16)),
                    SpanId = ByteString.CopyFrom(Bytes(random, 8)),
                    Name = "chat gpt-4o",
                    Kind = Span.Types.SpanKind.Client,
                    StartTimeUnixNano = now,
                    EndTimeUnixNano = now + 1_000_000_000,
                };
                span.Attributes.Add(Text("gen_ai.operation.name", "chat"));
                span.Attributes.Add(Text("gen_ai.provider.name", "openai"));
                span.Attributes.Add(Text("gen_ai.response.model", "gpt-4o"));
                span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.input_tokens", Value = new AnyValue { IntValue = random.Next(200, 20_000) } });
                span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.output_tokens", Value = new AnyValue { IntValue = random.Next(10, 2_000) } });
                span.Attributes.Add(Text("tenant.id", Workload.Tenants[i % Workload.Tenants.Length]));
                scope.Spans.Add(span);
            }

            var resource = new Resource();
            resource.Attributes.Add(Text("service.name", "support-bot"));
            var resourceSpans = new ResourceSpans { Resource = resource };
            resourceSpans.ScopeSpans.Add(scope);
            var request = new ExportTraceServiceRequest();
            request.ResourceSpans.Add(resourceSpans);
            var body = request.ToByteArray();
            yield return () => new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } };
        }
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task<bool> Answers(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/health/live")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
