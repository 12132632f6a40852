namespace Metering.Worker.Usage;

/// <summary>How to treat a failed metering transaction (SPEC §7: faults are faults, bad data is bad data).</summary>
public enum FaultKind
{
    /// <summary>
    /// Ours to fix, and passing: the database, the network or the broker away or overloaded, a permission or a table
    /// missing. Retried in the process until it passes; the messages stay unacknowledged in RabbitMQ meanwhile.
    /// </summary>
    Outage,

    /// <summary>A race another writer won (a deadlock, a serialization failure, a unique key): retried at once.</summary>
    Conflict,

    /// <summary>The event's own data broke a rule of the database (PostgreSQL classes 22, 23 but 23505, and 54): the event is rejected.</summary>
    BadData,

    /// <summary>
    /// Anything else: most likely a bug. Retried a few times in the process, then the messages go back to RabbitMQ,
    /// which delivers them again up to the delivery limit and then moves them to the dead-letter queue. Never a rejection.
    /// </summary>
    Unknown,
}
