using System.ComponentModel.DataAnnotations;

namespace Metering.Worker;

/// <summary>The consumer's settings, section <c>Metering</c> (the grace period is in <see cref="Pricing.BillingRules"/>).</summary>
public sealed class WorkerOptions
{
    public const string Section = "Metering";

    /// <summary>The most messages priced in one PostgreSQL transaction.</summary>
    [Range(1, 10_000, ErrorMessage = "Metering:BatchMessageLimit must be between 1 and 10000")]
    public int BatchMessageLimit { get; set; } = 1_000;

    /// <summary>How long a batch waits to fill before it is priced anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10", ErrorMessage = "Metering:BatchTimeLimit must be between 1 ms and 10 s")]
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Batches in flight at once in this process.</summary>
    [Range(1, 16, ErrorMessage = "Metering:ConcurrentBatches must be between 1 and 16")]
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>The queue the consumer reads; every instance reads the same one.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Metering:Queue must name a queue")]
    public string Queue { get; set; } = "metering.usage";

    /// <summary>
    /// How often RabbitMQ delivers a message that keeps failing for a reason that is not the database or the broker
    /// being away (a bug) before it moves it to the dead-letter queue, <c>&lt;Queue&gt;.dead-letter</c>.
    /// </summary>
    [Range(2, 1_000, ErrorMessage = "Metering:DeliveryLimit must be between 2 and 1000")]
    public int DeliveryLimit { get; set; } = 20;

    /// <summary>
    /// An event is judged by when it reached the broker, so a backlog does not push it past a cycle's grace period;
    /// the message's timestamp is believed back to this long before the worker received it, no further.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Metering:ArrivalTolerance must be between 0 and 7 days")]
    public TimeSpan ArrivalTolerance { get; set; } = TimeSpan.FromHours(24);

    public string DeadLetterQueue => Queue + ".dead-letter";
}
