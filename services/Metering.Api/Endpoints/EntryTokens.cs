namespace Metering.Api.Endpoints;

public sealed record EntryTokens(long Prompt, long Completion, long Cached, long CacheWrite, long? MaxTokens, long Reasoning, long Billed, long BilledOutput);
