using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Metering.Ledger.Writing;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Microsoft.Extensions.Options;

namespace Metering.Worker.Usage;

/// <summary>
/// The I/O shell around the metering transaction: commits a batch, retrying while the database is away, rejects an
/// event whose data the database refuses, and sends back to RabbitMQ what fails for any other reason. Messages are
/// acknowledged only after this returns, so nothing leaves RabbitMQ before its transaction has committed; what the
/// transaction put in the outbox, the outbox relay publishes.
/// </summary>
public sealed class UsageMeter(MeteringTransaction transaction, WorkerMetrics metrics, IOptions<BillingRules> rules, TimeProvider time, ILogger<UsageMeter> logger)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(5);
    private const int ConflictAttempts = 10;
    private const int UnknownAttempts = 3;
    private const int OutageAttemptsBeforeAlert = 10;

    public async Task MeterAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var results = await MeterIsolatingAsync(messages, new MeteringRules(rules.Value.GracePeriod), UnknownAttempts, cancellationToken);

        foreach (var rejection in results.SelectMany(r => r.Outcome.Rejections))
        {
            logger.LogWarning(
                "Rejected {Code} event {EventId} of {TenantId}: {Reason}", rejection.Rejection.Code, rejection.EventId, rejection.TenantId, rejection.Rejection.Message);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.Record(results, time.GetUtcNow(), elapsed);
        logger.LogInformation(
            "Metered {Messages} messages, {Events} events: {Priced} priced for {Cost}, {Duplicates} duplicates, {Rejected} rejected, in {ElapsedMs:0.0} ms",
            messages.Count,
            results.Sum(r => r.Outcome.Events),
            results.Sum(r => r.Outcome.Priced.Count),
            Money.Format(results.Sum(r => r.Outcome.Cost)),
            results.Sum(r => r.Outcome.Duplicates.Count),
            results.Sum(r => r.Outcome.Rejections.Count),
            elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Commits the messages together; when that fails for their data or for no known reason, commits them one message,
    /// then one event, at a time, so that good neighbours are billed. An event the database refuses is rejected; one
    /// that fails for no known reason is thrown after the rest committed, so its message goes back to RabbitMQ (and
    /// the neighbours that went with it come back as duplicates).
    /// </summary>
    private async Task<List<MeteringResult>> MeterIsolatingAsync(
        IReadOnlyList<IncomingMessage> messages, MeteringRules meteringRules, int unknownAttempts, CancellationToken cancellationToken)
    {
        try
        {
            return [await CommitRetryingAsync(messages, meteringRules, unknownAttempts, cancellationToken)];
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Faults.Classify(e) is FaultKind.BadData or FaultKind.Unknown && Parts(messages) is { Count: > 1 } parts)
        {
            logger.LogWarning("{Count} messages or events could not be metered together ({Error}); metering them one at a time", parts.Count, e.Message);
            var results = new List<MeteringResult>(parts.Count);
            ExceptionDispatchInfo? unknown = null;
            foreach (var part in parts)
            {
                try
                {
                    results.AddRange(await MeterIsolatingAsync([part], meteringRules, 1, cancellationToken));
                }
                catch (Exception inner) when (!cancellationToken.IsCancellationRequested && Faults.Classify(inner) == FaultKind.Unknown)
                {
                    unknown ??= ExceptionDispatchInfo.Capture(inner);
                }
            }

            unknown?.Throw();
            return results;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Faults.Classify(e) == FaultKind.BadData)
        {
            var single = messages[0];
            var rejection = new Rejection(RejectionCodes.Invalid, $"the event could not be stored: {e.Message}");
            await RetryOutagesAsync(() => transaction.RejectUnstorableAsync(single, rejection, cancellationToken), cancellationToken);
            var read = single.Reads[0];
            return [MeteringResult.Empty(new BatchOutcome([], [new RejectedRead(rejection, read, single, single.FirstPosition)], [], []))];
        }
    }

    /// <summary>The messages one by one, or a single message's events one by one.</summary>
    private static List<IncomingMessage> Parts(IReadOnlyList<IncomingMessage> messages) =>
        messages.Count > 1 ? [.. messages]
        : messages is [{ Reads.Count: > 1 } message] ? [.. Enumerable.Range(0, message.Reads.Count).Select(message.Only)]
        : [];

    private async Task<MeteringResult> CommitRetryingAsync(
        IReadOnlyList<IncomingMessage> messages, MeteringRules meteringRules, int unknownAttempts, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction.CommitAsync(messages, meteringRules, time.GetUtcNow(), cancellationToken: cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Faults.Classify(e) is var kind && kind != FaultKind.BadData
                && (kind == FaultKind.Outage || (kind == FaultKind.Conflict && attempt < ConflictAttempts) || (kind == FaultKind.Unknown && attempt < unknownAttempts)))
            {
                metrics.Fault(kind);
                if (kind == FaultKind.Outage && attempt == OutageAttemptsBeforeAlert)
                {
                    logger.LogError("The ledger has been unavailable for {Attempts} attempts ({Error}); the messages wait in RabbitMQ", attempt, e.Message);
                }
                else
                {
                    logger.LogWarning("Ledger transaction failed ({Kind}: {Error}); attempt {Attempt}, retrying in {Delay} ms", kind, e.Message, attempt, delay.TotalMilliseconds);
                }

                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Faults.Classify(e) == FaultKind.Unknown)
            {
                metrics.Fault(FaultKind.Unknown);
                logger.LogError(e, "Ledger transaction failed for no known reason after {Attempts} attempts; the messages go back to RabbitMQ", attempt);
                throw;
            }
        }
    }

    private async Task RetryOutagesAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Faults.Classify(e) is FaultKind.Outage or FaultKind.Conflict)
            {
                logger.LogWarning("Keeping a rejected event failed ({Error}); retrying in {Delay} ms", e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
        }
    }
}
