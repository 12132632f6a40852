using System.Text.Json;
using Metering.Contracts;

namespace Metering.Ledger.Outbox;

/// <summary>A message for the outbox: written in the transaction that decided it, published after it commits.</summary>
/// <param name="BatchId">The metering transaction that wrote it, for a spend update (see <see cref="Model.OutboxMessage"/>).</param>
public sealed record OutboxEnvelope(Guid Id, string MessageType, string Body, Guid? BatchId = null, string? TenantId = null)
{
    public static OutboxEnvelope Of(SpendUpdated update, Guid batchId, string tenantId) =>
        new(update.MessageId, nameof(SpendUpdated), JsonSerializer.Serialize(update, MeteringJson.Options), batchId, tenantId);

    public static OutboxEnvelope Of(ThrottleCommand command) =>
        new(command.CommandId, nameof(ThrottleCommand), JsonSerializer.Serialize(command, MeteringJson.Options), TenantId: command.TenantId);
}
