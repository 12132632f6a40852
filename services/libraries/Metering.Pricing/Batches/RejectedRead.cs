using Metering.Pricing.Usage;

namespace Metering.Pricing.Batches;

/// <summary>An event that will not be billed, and where it came from: its message and its position in it.</summary>
public sealed record RejectedRead(Rejection Rejection, UsageRead Read, IncomingMessage Message, int Position)
{
    /// <summary>The tenant and event id: from the event when it could be read, else whatever could be salvaged.</summary>
    public string? TenantId => Read.Usage?.TenantId ?? Read.TenantId;

    public string? EventId => Read.Usage?.EventId ?? Read.EventId;
}
