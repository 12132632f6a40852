using Metering.Ledger.Catalog;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Npgsql;

namespace Metering.Ledger.Writing;

/// <summary>
/// The metering transaction, the one writer of the ledger: a batch of messages in one PostgreSQL transaction.
/// <list type="number">
/// <item>Hold the batch's tenants and read the catalog revision (<see cref="MeteringSql.HoldTenantsAsync"/>).</item>
/// <item>Lock the cycles it prices into, in key order, and read their counters (<see cref="MeteringSql.LockCyclesAsync"/>).</item>
/// <item>Claim its events, each with its entry id (<see cref="MeteringSql.ClaimAsync"/>): the first write, under the locks.</item>
/// <item>Decide (<see cref="BatchDecision.Decide"/>): pure, the same rules the offline pricer applies.</item>
/// <item>Write the entries (<see cref="EntryCopy"/>) and everything else (<see cref="MeteringSql.WriteAsync"/>), and commit.</item>
/// </list>
/// </summary>
public sealed class MeteringTransaction(NpgsqlDataSource dataSource, CatalogStore catalogs)
{
    /// <param name="keepRejections">False for a re-drive: an event rejected again is already in the rejected-events table.</param>
    /// <param name="inTransaction">Runs inside the transaction, after the write and before the commit (a re-drive records its outcome).</param>
    public async Task<MeteringResult> CommitAsync(
        IReadOnlyList<IncomingMessage> messages,
        MeteringRules rules,
        DateTimeOffset pricedAt,
        bool keepRejections = true,
        Func<NpgsqlConnection, MeteringResult, CancellationToken, Task>? inTransaction = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var batchId = Guid.CreateVersion7(pricedAt);
        var keys = messages.SelectMany(m => m.Reads).Where(r => r.IsValid).Select(r => new EventKey(r.Usage!.TenantId, r.Usage.EventId)).Distinct().Order().ToList();
        var (tenants, revision, attributes) = await MeteringSql.HoldTenantsAsync(connection, [.. keys.Select(k => k.TenantId)], pricedAt, cancellationToken);

        var catalog = revision is { } r ? await catalogs.AtAsync(connection, r, cancellationToken) : Pricing.Catalog.PriceCatalog.Default;
        var session = new PricingSession(catalog, tenantId => tenants[tenantId]);
        var locked = await MeteringSql.LockCyclesAsync(connection, BatchDecision.CyclesToLock(messages, session, rules), pricedAt, session, cancellationToken);
        var claim = await MeteringSql.ClaimAsync(connection, transaction, keys, batchId, pricedAt, cancellationToken);

        var outcome = BatchDecision.Decide(messages, claim.BilledBefore.ToDictionary(b => b.Key, b => b.Value.Batch), session, rules);

        var numbered = claim.Claimed.Where(c => session.HasPriced(c.Key.TenantId, c.Key.EventId)).ToDictionary(c => c.Key, c => c.Value);
        var changes = LedgerChanges.Of(outcome.Priced, locked, pricedAt, attributes);
        await EntryCopy.WriteAsync(connection, outcome.Priced, numbered, pricedAt, cancellationToken);
        await MeteringSql.WriteAsync(connection, outcome, changes, outcome.Unbilled(claim.Claimed.Keys), batchId, keepRejections, pricedAt, cancellationToken);

        var entryIds = numbered;
        foreach (var (key, (_, entry)) in claim.BilledBefore)
        {
            if (entry is { } id)
            {
                entryIds[key] = id;
            }
        }

        var result = new MeteringResult(outcome, changes.Cycles, entryIds);
        if (inTransaction is not null)
        {
            await inTransaction(connection, result, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Keeps one event that could not be stored at all — its data broke a rule of the database (a value out of range,
    /// say) — as a rejected event, with its tenant and event id when it has them.
    /// </summary>
    public async Task RejectUnstorableAsync(IncomingMessage single, Rejection rejection, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(MeteringSql.InsertRejections([new RejectedRead(rejection, single.Reads[0], single, single.FirstPosition)], single.ArrivedAt));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
