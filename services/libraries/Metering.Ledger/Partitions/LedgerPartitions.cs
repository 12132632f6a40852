using Npgsql;

namespace Metering.Ledger.Partitions;

/// <summary>
/// The monthly partitions of <c>ledger_entries</c> (SPEC §16), created ahead of time: from the month of the oldest
/// cycle an event may still be metered in (the previous cycle, within grace) to three months ahead. What arrives
/// before its month's partition lands in the default partition and is moved into its own when the month is created
/// (<c>ledger_ensure_partitions</c>, migration PartitionedLedger).
/// </summary>
public sealed class LedgerPartitions(NpgsqlDataSource dataSource)
{
    /// <summary>Far enough back for the previous cycle of any anchor day.</summary>
    public static readonly TimeSpan Behind = TimeSpan.FromDays(62);

    public static readonly TimeSpan Ahead = TimeSpan.FromDays(92);

    /// <summary>
    /// Creating a partition locks the parent table briefly; behind a long metering transaction it gives up rather than
    /// queue every writer behind it, and is tried again later.
    /// </summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the months around <paramref name="now"/> that have no partition yet; returns how many it created.</summary>
    public async Task<int> EnsureAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var timeout = new NpgsqlCommand($"SET LOCAL lock_timeout = '{(int)LockTimeout.TotalMilliseconds}ms'", connection, transaction))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var ensure = new NpgsqlCommand("SELECT ledger_ensure_partitions(@from, @to)", connection, transaction);
        ensure.Parameters.AddWithValue("from", DateOnly.FromDateTime((now - Behind).UtcDateTime));
        ensure.Parameters.AddWithValue("to", DateOnly.FromDateTime((now + Ahead).UtcDateTime));
        var created = (int)(await ensure.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return created;
    }
}
