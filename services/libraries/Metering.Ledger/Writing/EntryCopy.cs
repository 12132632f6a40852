using System.Text.Json;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Ledger.Writing;

/// <summary>The ledger entries of a batch, written with one binary COPY: the column mapping of an entry.</summary>
public static class EntryCopy
{
    private const string Copy =
        """
        COPY ledger_entries (id, tenant_id, event_id, kind, cycle, provider, model, service, request_id, attributes,
            occurred_at, received_at, priced_at, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens,
            max_tokens, reasoning_tokens, billed_tokens, billed_output_tokens, reserved_output_waste, reserved_output_waste_cost,
            tier_position_before, price_entry_id, matched_by, tier_schedule, cost, charges)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <param name="entryIds">The id each event's claim drew for its entry.</param>
    public static async Task WriteAsync(
        NpgsqlConnection connection, IReadOnlyList<PricedEvent> priced, IReadOnlyDictionary<EventKey, long> entryIds, DateTimeOffset pricedAt, CancellationToken cancellationToken)
    {
        if (priced.Count == 0)
        {
            return;
        }

        var entryNames = new Dictionary<Pricing.Catalog.PriceEntry, string>(ReferenceEqualityComparer.Instance);
        var json = new ChargesJson();
        await using var import = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        foreach (var entry in priced)
        {
            var usage = entry.Usage;
            import.StartRow();
            import.Write(entryIds[new EventKey(usage.TenantId, usage.EventId)], NpgsqlDbType.Bigint);
            import.Write(usage.TenantId, NpgsqlDbType.Text);
            import.Write(usage.EventId, NpgsqlDbType.Text);
            import.Write(entry.IsAdjustment ? "adjustment" : "usage", NpgsqlDbType.Text);
            import.Write(entry.Terms.Cycle.StartDate, NpgsqlDbType.Date);
            import.Write(usage.Provider, NpgsqlDbType.Text);
            import.Write(usage.Model, NpgsqlDbType.Text);
            WriteNullable(import, usage.Service, NpgsqlDbType.Text);
            WriteNullable(import, usage.RequestId, NpgsqlDbType.Text);
            WriteNullable(import, usage.Attributes is null ? null : JsonSerializer.Serialize(usage.Attributes, LedgerDatabase.JsonOptions), NpgsqlDbType.Json);
            import.Write(usage.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            import.Write((entry.ReceivedAt ?? pricedAt).ToUniversalTime(), NpgsqlDbType.TimestampTz);
            import.Write(pricedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            import.Write(usage.PromptTokens, NpgsqlDbType.Bigint);
            import.Write(usage.CompletionTokens, NpgsqlDbType.Bigint);
            import.Write(usage.CachedTokens, NpgsqlDbType.Bigint);
            import.Write(usage.CacheWriteTokens, NpgsqlDbType.Bigint);
            WriteNullable(import, usage.MaxTokens, NpgsqlDbType.Bigint);
            import.Write(usage.ReasoningTokens, NpgsqlDbType.Bigint);
            import.Write(entry.Price.BilledTokens, NpgsqlDbType.Bigint);
            import.Write(entry.Price.BilledOutputTokens, NpgsqlDbType.Bigint);
            import.Write(entry.Price.ReservedOutputWaste, NpgsqlDbType.Bigint);
            import.Write(entry.Price.ReservedOutputWasteCost, NpgsqlDbType.Numeric);
            import.Write(entry.TierPositionBefore, NpgsqlDbType.Bigint);
            import.Write(entryNames.TryGetValue(entry.Terms.Entry, out var name) ? name : entryNames[entry.Terms.Entry] = entry.Terms.Entry.Id, NpgsqlDbType.Text);
            WriteNullable(import, entry.Terms.MatchedBy?.Text, NpgsqlDbType.Text);
            import.Write(entry.Terms.Schedule.Name, NpgsqlDbType.Text);
            import.Write(entry.Price.Cost, NpgsqlDbType.Numeric);
            import.Write(json.Write(entry.Charges), NpgsqlDbType.Json);
        }

        await import.CompleteAsync(cancellationToken);
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            import.WriteNull();
        }
        else
        {
            import.Write(value, type);
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            import.Write(v, type);
        }
        else
        {
            import.WriteNull();
        }
    }
}
