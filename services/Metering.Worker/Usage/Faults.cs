using System.Net.Sockets;
using Npgsql;

namespace Metering.Worker.Usage;

public static class Faults
{
    public static FaultKind Classify(Exception exception) => exception switch
    {
        PostgresException postgres => Classify(postgres.SqlState),
        NpgsqlException or IOException or SocketException or TimeoutException => FaultKind.Outage,
        OperationCanceledException => FaultKind.Outage, // a command timeout; the service's own stop is checked before classifying
        _ when exception.InnerException is { } inner => Classify(inner),
        _ => FaultKind.Unknown,
    };

    /// <summary>By SQLSTATE class (PostgreSQL appendix A).</summary>
    public static FaultKind Classify(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => FaultKind.Conflict,
        _ when sqlState.StartsWith("22", StringComparison.Ordinal) // data exception: a value out of range, bad encoding
            || sqlState.StartsWith("23", StringComparison.Ordinal) // integrity constraint violation (but 23505, above)
            || sqlState.StartsWith("54", StringComparison.Ordinal) => FaultKind.BadData, // program limit exceeded: too big
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || sqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources
            || sqlState.StartsWith("55", StringComparison.Ordinal) // object not in prerequisite state (a lock not available)
            || sqlState.StartsWith("57", StringComparison.Ordinal) // operator intervention: shutdown, cannot connect now
            || sqlState.StartsWith("58", StringComparison.Ordinal) // system error: disk, I/O
            || sqlState.StartsWith("40", StringComparison.Ordinal) // transaction rollback
            || sqlState is PostgresErrorCodes.InsufficientPrivilege // 42501: a grant missing
                or PostgresErrorCodes.UndefinedTable // 42P01: a migration missing
                or PostgresErrorCodes.InvalidCatalogName // 3D000: the database missing
                or PostgresErrorCodes.InvalidAuthorizationSpecification // 28000
                or PostgresErrorCodes.InvalidPassword => FaultKind.Outage, // 28P01
        _ => FaultKind.Unknown,
    };
}
