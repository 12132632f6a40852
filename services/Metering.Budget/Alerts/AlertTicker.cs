using Metering.Webhooks;
using Microsoft.Extensions.Options;

namespace Metering.Budget.Alerts;

/// <summary>Runs the alert jobs every <c>Webhooks:JobInterval</c> on the service's clock; a failed round is logged and the next one tries again.</summary>
public sealed class AlertTicker(CycleClosedAlerts cycles, RejectionSpikeAlerts spikes, IOptions<WebhookOptions> options, TimeProvider time, ILogger<AlertTicker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.JobInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await cycles.RunAsync(stoppingToken);
            await spikes.RunAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("The webhook alert jobs failed ({Error}); they run again in {Interval}", e.Message, options.Value.JobInterval);
        }
    }
}
