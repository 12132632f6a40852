namespace Metering.Pricing.Usage;

/// <summary>The stable reason codes of rejected events (SPEC §7). Clients match on these; never rename one.</summary>
public static class RejectionCodes
{
    /// <summary>The body is not JSON at all (syntax error, bad encoding, duplicate keys, nesting too deep).</summary>
    public const string Malformed = "malformed";

    /// <summary>Well-formed JSON that breaks a rule of the event contract (SPEC §3): a missing field, a wrong type, a value out of range.</summary>
    public const string Invalid = "invalid";

    /// <summary>No catalog entry for the event's (provider, model) is in effect at its <c>occurredAt</c>.</summary>
    public const string UnknownModel = "unknown-model";

    /// <summary>(tenantId, eventId) was already accepted.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The event's cycle ended more than the grace period before it arrived.</summary>
    public const string CycleClosed = "cycle-closed";

    /// <summary>The event claims to have happened more than 5 minutes after it arrived.</summary>
    public const string FutureTimestamp = "future-timestamp";
}
