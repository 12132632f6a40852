using System.ComponentModel.DataAnnotations;

namespace Metering.Ledger.Outbox;

/// <summary>The outbox relay's settings, section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How long a published message is kept (a duplicate of an event publishes its first delivery's messages again while they are kept).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Outbox:Retention must be between 1 minute and 365 days")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the relay looks for messages when no notification woke it (a notification missed while it reconnected).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Outbox:PollInterval must be between 50 ms and 1 minute")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages published per relay transaction.</summary>
    [Range(1, 10_000, ErrorMessage = "Outbox:BatchSize must be between 1 and 10000")]
    public int BatchSize { get; set; } = 500;
}
