using Metering.Contracts;

namespace Metering.Pricing.Usage;

/// <summary>
/// One event read from a message: either a valid <see cref="Usage"/> or a <see cref="Rejection"/> that keeps the
/// exact bytes it was read from, plus whatever identity could be salvaged from them.
/// </summary>
public sealed record UsageRead
{
    private UsageRead()
    {
    }

    public TokenUsage? Usage { get; private init; }

    public Rejection? Rejection { get; private init; }

    /// <summary>The bytes the event was read from (the whole body when it is not JSON), kept in case it is rejected.</summary>
    public ReadOnlyMemory<byte> Raw { get; private init; }

    public string? EventId { get; private init; }

    public string? TenantId { get; private init; }

    public bool IsValid => Usage is not null;

    public static UsageRead Valid(ReadOnlyMemory<byte> raw, TokenUsage usage) =>
        new() { Usage = usage, Raw = raw, EventId = usage.EventId, TenantId = usage.TenantId };

    public static UsageRead Rejected(Rejection rejection, ReadOnlyMemory<byte> raw, string? eventId = null, string? tenantId = null) =>
        new() { Rejection = rejection, Raw = raw, EventId = eventId, TenantId = tenantId };
}
