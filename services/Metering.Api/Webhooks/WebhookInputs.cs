using Metering.Api.Endpoints;
using Metering.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api.Webhooks;

/// <summary>An endpoint's settings as an admin sends them: every bad value is a 400 that names the field.</summary>
public static class WebhookInputs
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 256;

    public static ValidationProblem? Check(WebhookEndpointRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            return Problems.Invalid("url", "the URL deliveries are POSTed to is required, e.g. https://alerts.example.com/metering");
        }

        if (request.Url.Length > MaxUrlLength
            || !Uri.TryCreate(request.Url, UriKind.Absolute, out var url)
            || url.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(url.UserInfo)
            || !string.IsNullOrEmpty(url.Fragment))
        {
            return Problems.Invalid(
                "url", $"{Problems.Quote(request.Url)} is not an absolute http or https URL of at most {MaxUrlLength} characters, without credentials or fragment");
        }

        if (request.TenantId is { } tenantId && Inputs.TenantId(tenantId) is { } invalidTenant)
        {
            return invalidTenant;
        }

        var known = string.Join(", ", WebhookEventTypes.All);
        if (request.EventTypes is not { Count: > 0 } types)
        {
            return Problems.Invalid("eventTypes", $"name at least one event type: {known}");
        }

        if (types.FirstOrDefault(t => !WebhookEventTypes.All.Contains(t)) is { } unknown)
        {
            return Problems.Invalid("eventTypes", $"{Problems.Quote(unknown)} is not an event type: {known}");
        }

        return request.Description is { Length: > MaxDescriptionLength }
            ? Problems.Invalid("description", $"at most {MaxDescriptionLength} characters, got {request.Description.Length}")
            : null;
    }

    /// <summary>The subscribed types in the order of <see cref="WebhookEventTypes.All"/>, each once.</summary>
    public static string[] TypesOf(WebhookEndpointRequest request) => WebhookEventTypes.All.Where(type => request.EventTypes!.Contains(type)).ToArray();
}
