using System.Diagnostics;
using Metering.Hosting;
using Metering.Ledger.Writing;
using Metering.Pricing;
using Metering.Pricing.Usage;
using Microsoft.Extensions.Options;

namespace Metering.Worker.Usage;

/// <summary>
/// The I/O shell around the ledger transaction: commits a batch, retrying while the database is away, isolates a
/// message that cannot be stored, then publishes what the commit put in the outbox. Messages are acknowledged only
/// after this returns, so nothing leaves RabbitMQ before its ledger transaction has committed.
/// </summary>
public sealed class UsageMeter(
    LedgerWriter writer,
    OutboxPublisher publisher,
    WorkerMetrics metrics,
    IOptions<BillingRules> rules,
    TimeProvider time,
    ILogger<UsageMeter> logger)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(5);
    private const int ConflictAttempts = 5;

    public async Task MeterAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var receivedAt = time.GetUtcNow();
        var results = await CommitIsolatingPoisonAsync(messages, receivedAt, cancellationToken);

        foreach (var rejection in results.SelectMany(r => r.Rejections))
        {
            logger.LogWarning(
                "Rejected {Code} event {EventId} of {TenantId}: {Reason}",
                rejection.Rejection.Code, rejection.Read.EventId, rejection.Read.TenantId, rejection.Rejection.Message);
        }

        // On the bus, not the consume context: internal events use MassTransit's envelope, not the usage endpoint's raw JSON.
        await publisher.PublishAsync([.. results.SelectMany(r => r.ToPublish).DistinctBy(e => e.Id)], cancellationToken);

        metrics.Record(results, time.GetUtcNow(), Stopwatch.GetElapsedTime(started));
        logger.LogInformation(
            "Metered {Messages} messages, {Events} events: {Priced} priced for {Cost}, {Duplicates} duplicates, {Rejected} rejected, in {ElapsedMs:0.0} ms",
            messages.Count,
            results.Sum(r => r.Events),
            results.Sum(r => r.Priced.Count),
            Money.Format(results.Sum(r => r.Cost)),
            results.Sum(r => r.Duplicates),
            results.Sum(r => r.Rejections.Count),
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<IReadOnlyList<CommitResult>> CommitIsolatingPoisonAsync(
        IReadOnlyList<IncomingMessage> messages, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            return [await CommitWithRetryAsync(messages, receivedAt, cancellationToken)];
        }
        catch (Exception e) when (messages.Count > 1 && Faults.Classify(e) != FaultKind.Infrastructure && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "A batch of {Messages} messages could not be stored; committing them one at a time to find the cause", messages.Count);
            var results = new List<CommitResult>(messages.Count);
            foreach (var message in messages)
            {
                results.AddRange(await CommitIsolatingPoisonAsync([message], receivedAt, cancellationToken));
            }

            return results;
        }
        catch (Exception e) when (Faults.Classify(e) != FaultKind.Infrastructure && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "A message could not be stored; it is kept as a rejected event");
            var rejection = new Rejection(RejectionCodes.Invalid, $"the message could not be stored: {e.Message}");
            await WithRetryAsync(() => writer.RecordUnstorableAsync(messages[0], rejection, receivedAt, cancellationToken), cancellationToken);
            var read = UsageRead.Rejected(rejection, messages[0].Body);
            return [new CommitResult(messages[0].Reads.Count, [], 0, [new RejectionRecord(rejection, read, messages[0], 0)], 0m, [])];
        }
    }

    private Task<CommitResult> CommitWithRetryAsync(IReadOnlyList<IncomingMessage> messages, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        WithRetryAsync(() => writer.CommitAsync(messages, receivedAt, rules.Value.GracePeriod, time.GetUtcNow(), cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Retries infrastructure faults until they pass (or the service stops), conflicts a few times; rethrows the rest.</summary>
    private async Task<T> WithRetryAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested
                && Faults.Classify(e) is var kind
                && (kind == FaultKind.Infrastructure || (kind == FaultKind.Conflict && attempt < ConflictAttempts)))
            {
                logger.LogWarning("Ledger transaction failed ({Kind}: {Error}); attempt {Attempt}, retrying in {Delay} ms", kind, e.Message, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
        }
    }
}
