using System.Net;
using System.Text;
using System.Text.Json;
using Metering.Contracts;
using Metering.IntegrationTests.Harness;
using Metering.Producer;

namespace Metering.IntegrationTests;

/// <summary>
/// Provider-native payloads (SPEC §14) end to end: published by the producer library over AMQP and posted over HTTP,
/// they are billed with the counts their adapter normalises, and one that cannot be read is kept with its response.
/// </summary>
public sealed class NativeIngestionTests : MeteringTest
{
    [Fact]
    public async Task Provider_responses_over_AMQP_and_HTTP_are_billed_with_the_normalised_counts_and_a_broken_one_is_kept_whole()
    {
        Environment.StartWorker();
        await Environment.Vhost.WaitForConsumerAsync();
        var occurredAt = DateTimeOffset.UtcNow;
        await using (var producer = new RabbitMqTokenUsagePublisher(new TokenUsagePublisherOptions { Uri = Environment.Vhost.Uri }))
        {
            // Anthropic's input_tokens excludes both cache counts: the prompt is 12 + 1,536 + 187,362.
            await producer.PublishResponseAsync(new ProviderResponse
            {
                EventId = "anthropic-1",
                TenantId = "acme",
                Provider = "anthropic",
                Format = "anthropic-messages",
                OccurredAt = occurredAt,
                Service = "contracts-bot",
                Response = JsonDocument.Parse("""
                    {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-opus-4-1-20250805",
                     "content": [{"type": "text", "text": "Clause 7 limits liability."}], "stop_reason": "end_turn",
                     "usage": {"input_tokens": 12, "cache_creation_input_tokens": 1536, "cache_read_input_tokens": 187362, "output_tokens": 1931}}
                    """).RootElement,
            });
            await producer.PublishResponseAsync(new ProviderResponse
            {
                EventId = "anthropic-broken",
                TenantId = "acme",
                Provider = "anthropic",
                Format = "anthropic-messages",
                OccurredAt = occurredAt,
                Response = JsonDocument.Parse("""{"id": "msg_02", "type": "message", "model": "claude-opus-4-1-20250805", "usage": {"output_tokens": 3}}""").RootElement,
            });
        }

        var ingest = Environment.StartApi().As(await Environment.CreateKeyAsync("ingest"));
        var posted = await ingest.PostAsync("/v1/events", new StringContent($$$"""
            {"eventId": "openai-1", "tenantId": "acme", "provider": "openai", "occurredAt": "{{{occurredAt:O}}}", "maxTokens": 1024,
             "format": "openai-chat",
             "response": {"id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o-2024-08-06", "choices": [],
                          "usage": {"prompt_tokens": 2006, "completion_tokens": 300, "prompt_tokens_details": {"cached_tokens": 1920} } } }
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        await Environment.WaitForAsync(entries: 2, rejected: 1);
        var billed = await Environment.Database.QueryAsync(
            "SELECT event_id, model, prompt_tokens, completion_tokens, cached_tokens FROM ledger_entries ORDER BY event_id",
            r => (r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
        Assert.Equal(
            [("anthropic-1", "claude-opus-4-1-20250805", 188_910L, 1_931L, 187_362L), ("openai-1", "gpt-4o-2024-08-06", 2_006L, 300L, 1_920L)],
            billed);

        var (eventId, message, raw) = Assert.Single(await Environment.Database.QueryAsync(
            "SELECT event_id, message, raw FROM rejected_events", r => (r.GetString(0), r.GetString(1), Encoding.UTF8.GetString((byte[])r[2]))));
        Assert.Equal("anthropic-broken", eventId);
        Assert.Contains("response.usage.input_tokens", message, StringComparison.Ordinal);
        Assert.Contains("\"msg_02\"", raw, StringComparison.Ordinal);
    }
}
