using System.Net.Sockets;
using Npgsql;

namespace Metering.Worker.Usage;

/// <summary>How to treat a failed ledger transaction.</summary>
public enum FaultKind
{
    /// <summary>The database or network is unavailable: retry until it is back; the messages stay in RabbitMQ meanwhile.</summary>
    Infrastructure,

    /// <summary>A race another writer won (a unique key): retrying a few times resolves it.</summary>
    Conflict,

    /// <summary>Something in the messages cannot be stored: isolate the message and reject it.</summary>
    Poison,
}

public static class Faults
{
    public static FaultKind Classify(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => FaultKind.Conflict,
        PostgresException postgres when postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources
            || postgres.SqlState.StartsWith("57", StringComparison.Ordinal) // shutdown, cannot connect now
            || postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => FaultKind.Infrastructure,
        PostgresException => FaultKind.Poison,
        NpgsqlException => FaultKind.Infrastructure,
        IOException or SocketException or TimeoutException => FaultKind.Infrastructure,
        InvalidOperationException when exception.InnerException is { } inner => Classify(inner),
        _ => FaultKind.Poison,
    };
}
