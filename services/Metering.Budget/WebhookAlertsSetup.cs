using Metering.Budget.Alerts;
using Metering.Hosting;

namespace Metering.Budget;

public static class WebhookAlertsSetup
{
    /// <summary>
    /// Webhook alerts live in the budget service: it is where <c>budget.level_changed</c> is decided, it already runs
    /// the periodic work (the saga's tick, the outbox relay), and its traffic is light. The metering worker stays on
    /// its hot path, and the API stays a request/response service that any number of instances serve statelessly; HTTP
    /// calls to slow receivers wait here, where they delay nobody's request. Running more budget instances shares the
    /// deliveries; the jobs announce each closed cycle and each spike once, however many run.
    /// </summary>
    public static WebApplicationBuilder AddWebhookAlerts(this WebApplicationBuilder builder)
    {
        builder.AddMeteringWebhookDelivery();
        builder.Services.AddSingleton<CycleClosedAlerts>();
        builder.Services.AddSingleton<RejectionSpikeAlerts>();
        builder.Services.AddHostedService<AlertTicker>();
        return builder;
    }
}
