using System.Collections.Concurrent;

namespace Metering.Samples.Gateway.Traffic;

/// <summary>What the gateway has served and refused per tenant, for <c>GET /status</c>.</summary>
public sealed class GatewayStatus
{
    private readonly ConcurrentDictionary<string, (long Served, long Throttled)> counts = new(StringComparer.Ordinal);

    public void Served(string tenantId) => counts.AddOrUpdate(tenantId, (1, 0), (_, c) => (c.Served + 1, c.Throttled));

    public void Throttled(string tenantId) => counts.AddOrUpdate(tenantId, (0, 1), (_, c) => (c.Served, c.Throttled + 1));

    public IReadOnlyDictionary<string, (long Served, long Throttled)> Counts => counts;
}
