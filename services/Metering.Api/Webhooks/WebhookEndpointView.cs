using System.Text.Json.Serialization;
using Metering.Ledger.Model;

namespace Metering.Api.Webhooks;

/// <summary>An endpoint as the API shows it; its secret only in the answer that created it.</summary>
/// <param name="State"><c>enabled</c> or <c>disabled</c> (then <see cref="DisabledReason"/> says why).</param>
/// <param name="FailingSince">The first failed attempt since the last delivered one, while it fails.</param>
public sealed record WebhookEndpointView(
    Guid Id,
    string Url,
    string? TenantId,
    IReadOnlyList<string> EventTypes,
    string? Description,
    string State,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The signing secret, <c>whsec_…</c>: shown once, when the endpoint is created.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static WebhookEndpointView Of(WebhookEndpoint endpoint) => new(
        endpoint.Id,
        endpoint.Url,
        endpoint.TenantId,
        endpoint.EventTypes,
        endpoint.Description,
        endpoint.DisabledAt is null ? "enabled" : "disabled",
        endpoint.DisabledAt,
        endpoint.DisabledReason,
        endpoint.FailingSince,
        endpoint.CreatedAt,
        endpoint.UpdatedAt);
}
