using System.ComponentModel.DataAnnotations;

namespace Metering.Worker;

/// <summary>The consumer's settings, section <c>Metering</c> (the grace period is in <see cref="Hosting.BillingRules"/>).</summary>
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
}
