namespace Metering.Api.Endpoints;

/// <summary>One group. For <c>service</c>, events that named no service are grouped under the empty string.</summary>
public sealed record UsageRow(string Key, long Events, long PromptTokens, long CompletionTokens, long CachedTokens, string Cost);
