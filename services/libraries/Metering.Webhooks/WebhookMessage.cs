using Metering.Contracts;

namespace Metering.Webhooks;

/// <summary>An event to enqueue: its id is derived from what happened, so writing the same happening twice is one event.</summary>
/// <param name="Data">The payload's <c>data</c> object, as JSON.</param>
public sealed record WebhookMessage(Guid Id, string Type, string? TenantId, string Data, DateTimeOffset OccurredAt)
{
    /// <summary>The id of the event named <paramref name="name"/> (say, <c>cycle.closed/acme/2026-11-01</c>).</summary>
    public static Guid IdFor(string name) => MessageIds.NameBased("webhook/" + name);
}
