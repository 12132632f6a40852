using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Metering.Webhooks;

/// <summary>
/// Makes one attempt: POSTs the event's body with the Standard Webhooks headers (<c>webhook-id</c>, the event's id,
/// the same on every attempt; <c>webhook-timestamp</c>, the attempt's time; <c>webhook-signature</c>) and reports the
/// answer. Redirects are not followed (a signed body goes only where it was registered to go). The timeout is real
/// time, whatever clock the service runs on: it is the network's, not a decision of ours.
/// </summary>
public sealed class WebhookSender(IOptions<WebhookOptions> options, TimeProvider time) : IDisposable
{
    private const int ResponseChars = 1_000;

    private readonly HttpClient client = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public async Task<AttemptResult> SendAsync(DueDelivery delivery, string secret, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        var body = WebhookBody.Of(delivery.EventType, delivery.OccurredAt, delivery.Data);
        var id = delivery.EventId.ToString();
        var timestamp = at.ToUnixTimeSeconds();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, id, timestamp, body));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Metering-Webhooks", "1"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var text = await StartOfAsync(response.Content, timeout.Token);
            var status = (int)response.StatusCode;
            return new AttemptResult(delivery, at, status, response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}", text, Elapsed(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(delivery, at, null, $"no answer within {options.Value.Timeout.TotalSeconds:0.###} s", null, Elapsed(started));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Refused, reset, a name that does not resolve, a bad certificate, a URL edited into nonsense: logged as the attempt's error.
            return new AttemptResult(delivery, at, null, Ledger.Writing.StorableText.Of(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message), null, Elapsed(started));
        }
    }

    public void Dispose() => client.Dispose();

    private int Elapsed(long started) => (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds);

    /// <summary>The start of the response body, for the attempt log; a receiver's long page is not stored.</summary>
    private static async Task<string?> StartOfAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ResponseChars * 4];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        var text = Ledger.Writing.StorableText.Of(Encoding.UTF8.GetString(buffer, 0, read));
        return text.Length > ResponseChars ? text[..ResponseChars] : text;
    }
}
