using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Metering.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Metering.IntegrationTests.Harness;

/// <summary>
/// A real receiver on a loopback port (Kestrel), as a customer would run one: it records every request, answers with
/// <see cref="Answer"/>, and, like a receiver should, processes each <c>webhook-id</c> once: a repeat of an id it
/// already acknowledged is marked a duplicate. It can be stopped and started again on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private readonly ConcurrentDictionary<string, int> acknowledged = new();
    private WebApplication? app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hooks";

    /// <summary>The status code of the answer to a request; 200 unless the test says otherwise.</summary>
    public Func<int> Answer { get; set; } = () => 200;

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    /// <summary>Each webhook-id this receiver acknowledged (answered 2xx), with how often it was acknowledged.</summary>
    public IReadOnlyDictionary<string, int> Acknowledged => acknowledged;

    /// <summary>A receiver listening now, or only reserving a port when <paramref name="listening"/> is false (a receiver that is down).</summary>
    public static async Task<WebhookReceiver> StartAsync(bool listening = true)
    {
        var receiver = new WebhookReceiver(Ports.Free());
        if (listening)
        {
            await receiver.ListenAsync();
        }

        return receiver;
    }

    public async Task ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var id = request.Headers["webhook-id"].FirstOrDefault();
            var answer = Answer();
            var duplicate = false;
            if (answer is >= 200 and < 300 && id is not null)
            {
                duplicate = acknowledged.AddOrUpdate(id, 1, (_, n) => n + 1) > 1;
            }

            received.Enqueue(new ReceivedWebhook(id, request.Headers["webhook-timestamp"].FirstOrDefault(), request.Headers["webhook-signature"].FirstOrDefault(), body, answer, duplicate));
            return Results.Text(duplicate ? "duplicate, ignored" : "thanks", statusCode: answer);
        });
        await app.StartAsync();
    }

    public async Task StopListeningAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    /// <summary>Waits until requests for <paramref name="count"/> different webhook-ids have been acknowledged.</summary>
    public Task<IReadOnlyDictionary<string, int>> WaitForAcknowledgedAsync(int count, TimeSpan? timeout = null) =>
        Eventually.Until(() => Task.FromResult(Acknowledged), seen => seen.Count >= count, () => $"{count} webhook ids acknowledged; requests: {Received.Count}", timeout);

    /// <summary>The bodies this receiver acknowledged, first acknowledgement of each id, in order of arrival.</summary>
    public List<JsonObject> AcknowledgedBodies() =>
        Received.Where(r => r.Answer is >= 200 and < 300 && !r.Duplicate).Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();

    /// <summary>
    /// Checks a request's signature the way a receiver written from the Standard Webhooks text would, independently of
    /// the service's signing code: base64 HMAC-SHA256 of "id.timestamp.body" with the secret's bytes, among the
    /// space-separated "v1,…" signatures of the header.
    /// </summary>
    public static bool SignatureHolds(ReceivedWebhook request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.{request.Body}")));
        return (request.Signature ?? "").Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync() => await StopListeningAsync();
}
