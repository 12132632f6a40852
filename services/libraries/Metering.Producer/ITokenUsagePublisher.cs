using Metering.Contracts;

namespace Metering.Producer;

/// <summary>Publishes usage events to Metering. Every returned task completes once RabbitMQ has confirmed the event.</summary>
public interface ITokenUsagePublisher : IAsyncDisposable
{
    /// <summary>
    /// Publishes one event. With <see cref="TokenUsagePublisherOptions.BatchSize"/> above 1 the event waits (at most
    /// <see cref="TokenUsagePublisherOptions.BatchLinger"/>) to share a message with others.
    /// </summary>
    Task PublishAsync(TokenUsage usage, CancellationToken cancellationToken = default);

    /// <summary>Publishes events as JSON arrays of up to 1,000 per message.</summary>
    Task PublishBatchAsync(IReadOnlyList<TokenUsage> usages, CancellationToken cancellationToken = default);
}
