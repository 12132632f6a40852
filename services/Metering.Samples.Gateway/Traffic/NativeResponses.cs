using System.Text.Json;
using System.Text.Json.Nodes;
using Metering.Contracts;

namespace Metering.Samples.Gateway.Traffic;

/// <summary>
/// What the provider of a simulated call would have answered, in its own format: the native door's payload. Each
/// response counts exactly the call's tokens in that provider's convention, so the bill is the same whichever door
/// the call takes (Anthropic's <c>input_tokens</c> leaves the cache read out; DeepSeek splits hits and misses).
/// </summary>
public static class NativeResponses
{
    public static ProviderResponse For(TokenUsage call)
    {
        var (format, response) = call.Provider switch
        {
            "anthropic" => ("anthropic-messages", new JsonObject
            {
                ["type"] = "message",
                ["model"] = call.Model,
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = call.PromptTokens - call.CachedTokens,
                    ["cache_read_input_tokens"] = call.CachedTokens,
                    ["output_tokens"] = call.CompletionTokens,
                },
            }),
            "deepseek" => ("deepseek-chat", new JsonObject
            {
                ["object"] = "chat.completion",
                ["model"] = call.Model,
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = call.PromptTokens,
                    ["completion_tokens"] = call.CompletionTokens,
                    ["prompt_cache_hit_tokens"] = call.CachedTokens,
                    ["prompt_cache_miss_tokens"] = call.PromptTokens - call.CachedTokens,
                },
            }),

            // OpenAI and the OpenAI-compatible hosts (DeepInfra, OpenRouter, NVIDIA NIM) answer in chat completions.
            _ => ("openai-chat", new JsonObject
            {
                ["object"] = "chat.completion",
                ["model"] = call.Model,
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = call.PromptTokens,
                    ["completion_tokens"] = call.CompletionTokens,
                    ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = call.CachedTokens },
                },
            }),
        };

        return new ProviderResponse
        {
            EventId = call.EventId,
            TenantId = call.TenantId,
            Provider = call.Provider,
            Format = format,
            Response = JsonSerializer.SerializeToElement(response),
            MaxTokens = call.MaxTokens,
            OccurredAt = call.OccurredAt,
            Service = call.Service,
            RequestId = call.RequestId,
            Attributes = call.Attributes,
        };
    }
}
