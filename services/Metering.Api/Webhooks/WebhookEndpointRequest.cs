namespace Metering.Api.Webhooks;

/// <summary>An endpoint to register, or its new settings.</summary>
/// <param name="TenantId">The one tenant whose events it receives; absent or null for every tenant.</param>
/// <param name="EventTypes">Any of <c>budget.level_changed</c>, <c>cycle.closed</c>, <c>rejections.spike</c>.</param>
/// <param name="Enabled">false disables it; true enables it again (clearing its failure); absent keeps its state.</param>
public sealed record WebhookEndpointRequest(string? Url, string? TenantId, IReadOnlyList<string>? EventTypes, string? Description, bool? Enabled);
