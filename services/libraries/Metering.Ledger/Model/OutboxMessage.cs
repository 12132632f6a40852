namespace Metering.Ledger.Model;

/// <summary>
/// A message written in the transaction that decided it and published after it commits by the outbox relay of any
/// instance (a transactional outbox): spend updates, throttle commands. Published rows are kept for a retention period.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public required string MessageType { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>The metering transaction that wrote it, and the tenant it is about: a duplicate of an event that
    /// transaction billed publishes the tenant's messages of it again.</summary>
    public Guid? BatchId { get; set; }

    public string? TenantId { get; set; }
}
