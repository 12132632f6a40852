using System.Text.Json;
using Metering.Contracts;
using Metering.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metering.Budget.Alerts;

/// <summary>
/// Announces <c>rejections.spike</c> when a tenant's rejections in the trailing <c>Webhooks:SpikeWindow</c> reach
/// <c>Webhooks:SpikeThreshold</c>, once per episode: the episode starts then (a row of <c>rejection_spikes</c>) and
/// ends at the first look that finds the window below the threshold again; only a new episode is announced again.
/// Starting an episode is an upsert that takes effect only when none is running, in the transaction that enqueues the
/// event, so two instances looking at once announce it once. Rejections whose tenant could not be read (a body that
/// is not JSON) belong to no tenant and are not counted.
/// </summary>
public sealed class RejectionSpikeAlerts(NpgsqlDataSource dataSource, IOptions<WebhookOptions> options, TimeProvider time, ILogger<RejectionSpikeAlerts> logger)
{
    private const int TopCodes = 5;

    /// <summary>Ends the episodes that are over and starts (and announces) the new ones; returns how many it announced.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (window, threshold) = (options.Value.SpikeWindow, options.Value.SpikeThreshold);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var spikes = (await CountAsync(connection, now - window, now, cancellationToken))
            .Where(tenant => tenant.Value.Sum(c => c.Count) >= threshold)
            .ToDictionary();

        await using (var end = new NpgsqlCommand("UPDATE rejection_spikes SET ended_at = @now WHERE ended_at IS NULL AND NOT (tenant_id = ANY (@spiking))", connection))
        {
            end.Parameters.AddWithValue("now", now);
            end.Parameters.AddWithValue("spiking", spikes.Keys.ToArray());
            await end.ExecuteNonQueryAsync(cancellationToken);
        }

        var started = new List<string>();
        await using (var start = new NpgsqlCommand(
            """
            INSERT INTO rejection_spikes AS s (tenant_id, started_at, ended_at)
            SELECT tenant_id, @now, NULL FROM unnest(@spiking::text[]) AS t(tenant_id)
            ON CONFLICT (tenant_id) DO UPDATE SET started_at = excluded.started_at, ended_at = NULL WHERE s.ended_at IS NOT NULL
            RETURNING tenant_id
            """,
            connection))
        {
            start.Parameters.AddWithValue("now", now);
            start.Parameters.AddWithValue("spiking", spikes.Keys.ToArray());
            await using var reader = await start.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                started.Add(reader.GetString(0));
            }
        }

        var messages = started.Select(tenantId => Message(tenantId, spikes[tenantId], threshold, window, now)).ToList();
        await WebhookOutbox.EnqueueAsync(connection, messages, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var tenantId in started)
        {
            logger.LogWarning("Rejection spike: {TenantId} had {Count} rejections in {Window}", tenantId, spikes[tenantId].Sum(c => c.Count), window);
        }

        return messages.Count;
    }

    /// <summary>Per tenant, its rejections in (<paramref name="from"/>, <paramref name="to"/>] by code, most frequent first.</summary>
    private static async Task<Dictionary<string, List<RejectionCodeCount>>> CountAsync(
        NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT tenant_id, code, count(*) FROM rejected_events
            WHERE received_at > @from AND received_at <= @to AND tenant_id IS NOT NULL
            GROUP BY tenant_id, code
            ORDER BY tenant_id, count(*) DESC, code
            """,
            connection);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var counts = new Dictionary<string, List<RejectionCodeCount>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tenantId = reader.GetString(0);
            if (!counts.TryGetValue(tenantId, out var codes))
            {
                counts[tenantId] = codes = [];
            }

            codes.Add(new RejectionCodeCount(reader.GetString(1), reader.GetInt64(2)));
        }

        return counts;
    }

    private static WebhookMessage Message(string tenantId, List<RejectionCodeCount> codes, int threshold, TimeSpan window, DateTimeOffset now)
    {
        var data = new RejectionSpikeData(tenantId, codes.Sum(c => c.Count), threshold, (int)window.TotalSeconds, now - window, now, codes.Take(TopCodes).ToList());
        return new WebhookMessage(
            WebhookMessage.IdFor(FormattableString.Invariant($"{WebhookEventTypes.RejectionsSpike}/{tenantId}/{now:O}")),
            WebhookEventTypes.RejectionsSpike,
            tenantId,
            JsonSerializer.Serialize(data, MeteringJson.Options),
            now);
    }
}
