using Metering.Contracts;
using Metering.Ledger.Writing;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Worker.Corrections;

/// <summary>
/// Prices a rejected event again through the metering transaction, so the worker stays the one writer of the ledger.
/// As received, it is judged by when it first arrived (fixing the catalog late does not make it late) and its cycle
/// must also still be open now; as an adjustment, it goes into the tenant's current cycle. The check and the billing
/// are one transaction, and the event is billed at most once however often it is re-driven.
/// </summary>
public sealed class RedriveMeter(NpgsqlDataSource dataSource, MeteringTransaction transaction, IOptions<BillingRules> rules, TimeProvider time)
{
    public async Task<RedriveCompleted> RedriveAsync(RedriveRejection request, CancellationToken cancellationToken)
    {
        RedriveCompleted Answer(string outcome) => new() { RejectionId = request.RejectionId, Outcome = outcome };
        var rejected = await ReadAsync(request.RejectionId, cancellationToken);
        if (rejected is not var (raw, receivedAt))
        {
            return Answer("not-found");
        }

        var now = time.GetUtcNow();
        var message = IncomingMessage.Read(raw, request.AsAdjustment ? now : receivedAt);
        if (message.Reads is not [{ Usage: { } usage }])
        {
            var reason = message.Reads.Count == 1 ? message.Reads[0].Rejection!.Message : $"the body holds {message.Reads.Count} events; re-drive takes one";
            return Answer("unreadable") with { Message = reason };
        }

        var meteringRules = new MeteringRules(rules.Value.GracePeriod, request.AsAdjustment ? now : null, request.AsAdjustment ? null : now);
        var key = new EventKey(usage.TenantId, usage.EventId);
        var result = await transaction.CommitAsync(
            [message], meteringRules, now, keepRejections: false,
            inTransaction: (connection, result, ct) => RecordAsync(connection, request.RejectionId, Outcome(result, request.AsAdjustment), result.EntryIds.GetValueOrDefault(key), now, ct),
            cancellationToken: cancellationToken);

        var outcome = result.Outcome;
        if (outcome.Rejections is [var again])
        {
            return Answer("rejected") with { Code = again.Rejection.Code, Message = again.Rejection.Message };
        }

        var entryId = result.EntryIds.TryGetValue(key, out var id) ? id : await EntryOfAsync(key, cancellationToken);
        var (cycle, cost) = outcome.Priced is [var priced]
            ? (priced.Terms.Cycle.Name, priced.Price.Cost)
            : await CycleAndCostAsync(usage.TenantId, entryId, cancellationToken);
        return Answer(Outcome(result, request.AsAdjustment)) with { LedgerEntryId = entryId, Cycle = cycle, Cost = Money.Format(cost) };
    }

    private static string Outcome(MeteringResult result, bool asAdjustment) => result.Outcome switch
    {
        { Priced.Count: 1 } => asAdjustment ? "billed-as-adjustment" : "billed",
        { Duplicates.Count: 1 } => "already-billed",
        var o => o.Rejections[0].Rejection.Code,
    };

    /// <summary>What the re-drive did, on the rejected event; a later "already billed" does not hide that it was billed.</summary>
    private static async Task RecordAsync(NpgsqlConnection connection, long rejectionId, string outcome, long entryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE rejected_events SET redriven_at = @now, redrive_outcome = @outcome, ledger_entry_id = coalesce(@entry, ledger_entry_id)
            WHERE id = @id AND NOT (@outcome = 'already-billed' AND redrive_outcome LIKE 'billed%')
            """,
            connection);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("outcome", outcome);
        command.Parameters.AddWithValue("entry", NpgsqlTypes.NpgsqlDbType.Bigint, entryId == 0 ? DBNull.Value : entryId);
        command.Parameters.AddWithValue("id", rejectionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(byte[] Raw, DateTimeOffset ReceivedAt)?> ReadAsync(long rejectionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT raw, received_at FROM rejected_events WHERE id = @id");
        command.Parameters.AddWithValue("id", rejectionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    private async Task<long> EntryOfAsync(EventKey key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT entry_id FROM event_keys WHERE tenant_id = @tenant AND event_id = @event");
        command.Parameters.AddWithValue("tenant", key.TenantId);
        command.Parameters.AddWithValue("event", key.EventId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<(string Cycle, decimal Cost)> CycleAndCostAsync(string tenantId, long entryId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT cycle, cost FROM ledger_entries WHERE tenant_id = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("id", entryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetFieldValue<DateOnly>(0).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reader.GetDecimal(1));
    }
}
