using System.ComponentModel.DataAnnotations;

namespace Metering.Webhooks;

/// <summary>Settings of section <c>Webhooks</c>: how endpoint secrets are sealed, how deliveries are attempted and retried, and the alert jobs.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The key (32 bytes, base64) that seals every endpoint's signing secret in the database, kept outside it (an
    /// environment variable, a secret store). Without it no endpoint can be registered and nothing can be signed.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>How long one delivery attempt waits for the receiver's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Webhooks:Timeout must be between 1 second and 1 minute")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the delivery loop looks for due deliveries when no notification woke it (retries come due without one).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Webhooks:PollInterval must be between 50 ms and 1 minute")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries one loop round claims and sends at once.</summary>
    [Range(1, 1_000, ErrorMessage = "Webhooks:BatchSize must be between 1 and 1000")]
    public int BatchSize { get; set; } = 20;

    /// <summary>The wait after the first failed attempt; it doubles with every further failure, up to <see cref="MaxRetryDelay"/>, each with ±20 % jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Webhooks:FirstRetryDelay must be between 1 second and 1 hour")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Webhooks:MaxRetryDelay must be between 1 second and 1 day")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a delivery is retried after it was created; its last attempt is made at that moment.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Webhooks:RetryFor must be between 1 minute and 7 days")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An endpoint whose every attempt failed for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Webhooks:DisableAfter must be between 1 minute and 30 days")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long delivered and failed deliveries (with their attempts) and their events are kept; pending ones are never purged.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "Webhooks:Retention must be between 1 and 365 days")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the alert jobs look for closed cycles and rejection spikes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Webhooks:JobInterval must be between 1 second and 1 hour")]
    public TimeSpan JobInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rejections of one tenant within <see cref="SpikeWindow"/> that make a spike.</summary>
    [Range(1, 100_000_000, ErrorMessage = "Webhooks:SpikeThreshold must be between 1 and 100000000")]
    public int SpikeThreshold { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "Webhooks:SpikeWindow must be between 10 seconds and 1 day")]
    public TimeSpan SpikeWindow { get; set; } = TimeSpan.FromMinutes(5);
}
