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

    /// <summary>
    /// Publishes one call as the provider's own response (SPEC §14): Metering reads the token counts from it with the
    /// adapter of <see cref="ProviderResponse.Format"/>. Never batched; a response it cannot read is kept as a rejection.
    /// </summary>
    Task PublishResponseAsync(ProviderResponse response, CancellationToken cancellationToken = default);
}
