using System.Text.Json;
using Metering.Contracts;
using Metering.Pricing;
using Metering.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Budget.Alerts;

/// <summary>
/// Announces <c>cycle.closed</c> once per (tenant, cycle) when the cycle's grace period (<c>Metering:GracePeriod</c>)
/// has ended — from then on the worker rejects its late events (what reached the broker before still counts, and an
/// admin may still reverse an entry), so the totals it carries are the cycle's as billed. The announcement is claimed by
/// an insert into <c>cycle_closings</c> keyed by (tenant, cycle), in the transaction that enqueues the event: of two
/// instances finding the same cycle closed, the second's insert waits for the first's commit and then does nothing.
/// Cycles that closed more than <see cref="CatchUp"/> ago are not announced (a database that had cycles before
/// webhooks existed does not send its whole history).
/// </summary>
public sealed class CycleClosedAlerts(NpgsqlDataSource dataSource, IOptions<BillingRules> rules, TimeProvider time, ILogger<CycleClosedAlerts> logger)
{
    public static readonly TimeSpan CatchUp = TimeSpan.FromDays(31);

    /// <summary>Announces every cycle that has closed and was not announced; returns how many this call announced.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var grace = rules.Value.GracePeriod;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var closed = new List<WebhookMessage>();
        await using (var claim = new NpgsqlCommand(
            """
            WITH closing AS (
                INSERT INTO cycle_closings (tenant_id, cycle, announced_at)
                SELECT s.tenant_id, s.cycle, @now FROM cycle_states s
                WHERE ((s.cycle + interval '1 month') AT TIME ZONE 'UTC') + @grace <= @now
                  AND ((s.cycle + interval '1 month') AT TIME ZONE 'UTC') + @grace > @now - @catchUp
                ON CONFLICT DO NOTHING
                RETURNING tenant_id, cycle
            )
            SELECT s.tenant_id, s.cycle, s.events, s.reversals, s.cost
            FROM closing c JOIN cycle_states s ON s.tenant_id = c.tenant_id AND s.cycle = c.cycle
            """,
            connection))
        {
            claim.Parameters.AddWithValue("now", now);
            claim.Parameters.AddWithValue("grace", grace);
            claim.Parameters.AddWithValue("catchUp", CatchUp);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                closed.Add(Message(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4), grace));
            }
        }

        await WebhookOutbox.EnqueueAsync(connection, closed, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var message in closed)
        {
            logger.LogInformation("Announced cycle.closed {WebhookId} for {TenantId}", message.Id, message.TenantId);
        }

        return closed.Count;
    }

    private static WebhookMessage Message(string tenantId, DateOnly cycle, long events, long reversals, decimal cost, TimeSpan grace)
    {
        var start = new DateTimeOffset(cycle.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(cycle.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var name = cycle.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var data = new CycleClosedData(tenantId, name, start, end, end + grace, events, reversals, Money.Format(cost));
        return new WebhookMessage(
            WebhookMessage.IdFor($"{WebhookEventTypes.CycleClosed}/{tenantId}/{name}"),
            WebhookEventTypes.CycleClosed,
            tenantId,
            JsonSerializer.Serialize(data, MeteringJson.Options),
            end + grace);
    }
}
