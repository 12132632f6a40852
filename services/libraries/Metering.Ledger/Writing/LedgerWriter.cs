using System.Security.Cryptography;
using System.Text.Json;
using Metering.Contracts;
using Metering.Ledger.Catalog;
using Metering.Ledger.Model;
using Metering.Pricing;
using Metering.Pricing.Usage;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Ledger.Writing;

/// <summary>What one ledger transaction did.</summary>
public sealed record CommitResult(
    int Events,
    IReadOnlyList<PricedEvent> Priced,
    int Duplicates,
    IReadOnlyList<RejectionRecord> Rejections,
    decimal Cost,
    IReadOnlyList<OutboxEnvelope> ToPublish);

/// <summary>
/// The metering transaction: everything a batch of messages changes, in one PostgreSQL transaction, with plain Npgsql.
/// <list type="number">
/// <item>Lock the (tenant, cycle) rows the batch will price into, in key order: this serialises every writer of a
/// cycle, so tier counters never lose an update, and the fixed order rules out deadlocks.</item>
/// <item>Read the tier counters and which events are already in the ledger.</item>
/// <item>Price with the same <see cref="PricingSession"/> the offline pricer uses.</item>
/// <item>Write entries (binary COPY), counters, totals, rollups, hourly usage, rejections and the outbox.</item>
/// </list>
/// </summary>
public sealed class LedgerWriter(NpgsqlDataSource dataSource, CatalogStore catalogs, TenantStore tenants)
{
    private const string CopyEntries =
        """
        COPY ledger_entries (tenant_id, event_id, kind, cycle, provider, model, service, request_id, attributes,
            occurred_at, received_at, priced_at, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens,
            max_tokens, billed_tokens, billed_output_tokens, reserved_output_waste, reserved_output_waste_cost,
            tier_position_before, price_entry_id, tier_schedule, cost, charges, spend_update_id)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <param name="adjustInto">Price every event into this cycle as an adjustment (a re-drive of a late event).</param>
    /// <param name="keepRejections">False for a re-drive: an event rejected again is already in the rejected-events table.</param>
    public async Task<CommitResult> CommitAsync(
        IReadOnlyList<IncomingMessage> messages,
        DateTimeOffset receivedAt,
        TimeSpan gracePeriod,
        DateTimeOffset pricedAt,
        BillingCycle? adjustInto = null,
        bool keepRejections = true,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var valid = messages.SelectMany(m => m.Reads).Where(r => r.IsValid).Select(r => r.Usage!).ToList();
        var catalog = await catalogs.CurrentAsync(connection, cancellationToken);
        var settings = await tenants.LoadAsync(connection, valid.Select(u => u.TenantId), cancellationToken);
        var session = new PricingSession(catalog, id => settings[id]);
        var arrival = new Arrival(receivedAt, gracePeriod, adjustInto);
        var locked = await LockCyclesAsync(connection, CyclesToLock(valid, session, arrival), pricedAt, cancellationToken);
        await SeedCountersAsync(connection, locked.Keys, session, cancellationToken);
        var existing = await FindExistingAsync(connection, valid, cancellationToken);

        var batch = new LedgerBatch(receivedAt, pricedAt);
        foreach (var message in messages)
        {
            for (var position = 0; position < message.Reads.Count; position++)
            {
                var read = message.Reads[position];
                if (read.Usage is not { } usage)
                {
                    batch.Reject(read.Rejection!, read, message, position);
                }
                else if (existing.TryGetValue((usage.TenantId, usage.EventId), out var first))
                {
                    batch.Duplicate(first);
                }
                else
                {
                    var outcome = session.Price(usage, arrival);
                    if (outcome.Priced is { } priced)
                    {
                        batch.Add(priced);
                    }
                    else if (outcome.Rejection!.Code == RejectionCodes.Duplicate)
                    {
                        batch.Duplicate(null); // its first copy is in this very batch, and so is its spend update
                    }
                    else
                    {
                        batch.Reject(outcome.Rejection, read, message, position);
                    }
                }
            }
        }
        var cycles = batch.CloseCycles(locked);
        await CopyEntriesAsync(connection, batch, locked, cancellationToken);
        await WriteTotalsAsync(connection, batch, session, cycles, keepRejections, cancellationToken);
        var republished = await LoadOutboxAsync(connection, batch.Republish, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var toPublish = cycles.Select(c => ToEnvelope(c.Update)).Concat(republished).ToList();
        return new CommitResult(messages.Sum(m => m.Reads.Count), batch.Priced, batch.Duplicates, batch.Rejections, batch.Cost, toPublish);
    }

    /// <summary>Keeps a message that could not be metered at all (it broke the ledger transaction) as a rejected event.</summary>
    public async Task<int> RecordUnstorableAsync(IncomingMessage message, Rejection rejection, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO rejected_events (received_at, code, message, raw, body_hash, position)
            VALUES (@now, @code, @message, @raw, @hash, 0)
            ON CONFLICT (body_hash, position) DO NOTHING
            """);
        command.Parameters.AddWithValue("now", receivedAt);
        command.Parameters.AddWithValue("code", rejection.Code);
        command.Parameters.AddWithValue("message", StorableText.Of(rejection.Message));
        command.Parameters.AddWithValue("raw", message.Body.ToArray());
        command.Parameters.AddWithValue("hash", SHA256.HashData(message.Body.Span));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static OutboxEnvelope ToEnvelope(SpendUpdated update) =>
        new(update.MessageId, nameof(SpendUpdated), JsonSerializer.Serialize(update, MeteringJson.Options));

    /// <summary>The cycles of the events that can be priced: known model, not from the future, cycle still open.</summary>
    private static SortedSet<(string TenantId, DateOnly Cycle)> CyclesToLock(List<TokenUsage> valid, PricingSession session, Arrival arrival)
    {
        var keys = new SortedSet<(string TenantId, DateOnly Cycle)>(CycleKeyComparer.Instance);
        foreach (var usage in valid)
        {
            if (session.TryResolve(usage, arrival, out var terms, out _))
            {
                keys.Add((usage.TenantId, terms.Cycle.StartDate));
            }
        }

        return keys;
    }

    private static async Task<Dictionary<(string TenantId, DateOnly Cycle), CycleTotals>> LockCyclesAsync(
        NpgsqlConnection connection, IReadOnlyCollection<(string TenantId, DateOnly Cycle)> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var locked = new Dictionary<(string, DateOnly), CycleTotals>(keys.Count);
        if (keys.Count == 0)
        {
            return locked;
        }

        // One ordered pass that inserts or locks each row: inserting the missing rows first and locking the rest after
        // would take locks out of key order and could deadlock with another writer.
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO cycle_states AS s (tenant_id, cycle, version, events, cost, updated_at)
            SELECT k.tenant_id, k.cycle, 0, 0, 0, @now
            FROM unnest(@tenants, @cycles) AS k(tenant_id, cycle)
            ORDER BY k.tenant_id, k.cycle
            ON CONFLICT (tenant_id, cycle) DO UPDATE SET version = s.version
            RETURNING tenant_id, cycle, version, events, cost, first_event_at
            """,
            connection);
        command.Parameters.AddWithValue("tenants", keys.Select(k => k.TenantId).ToArray());
        command.Parameters.AddWithValue("cycles", keys.Select(k => k.Cycle).ToArray());
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            locked[(reader.GetString(0), reader.GetFieldValue<DateOnly>(1))] = new CycleTotals(
                reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
        }

        return locked;
    }

    private static async Task SeedCountersAsync(
        NpgsqlConnection connection, IReadOnlyCollection<(string TenantId, DateOnly Cycle)> cycles, PricingSession session, CancellationToken cancellationToken)
    {
        if (cycles.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT c.tenant_id, c.cycle, c.provider, c.billed_tokens
            FROM cycle_counters c JOIN unnest(@tenants, @cycles) AS k(tenant_id, cycle) USING (tenant_id, cycle)
            """,
            connection);
        command.Parameters.AddWithValue("tenants", cycles.Select(k => k.TenantId).ToArray());
        command.Parameters.AddWithValue("cycles", cycles.Select(k => k.Cycle).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            session.TierCounters[new TierCounterKey(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2))] = reader.GetInt64(3);
        }
    }

    /// <summary>Which of the events are already in the ledger, and the spend update their first delivery published.</summary>
    private static async Task<Dictionary<(string TenantId, string EventId), Guid?>> FindExistingAsync(
        NpgsqlConnection connection, List<TokenUsage> valid, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<(string, string), Guid?>();
        if (valid.Count == 0)
        {
            return existing;
        }

        // One index lookup per event. A plain join lets the planner, which sees the array's real length, hash the
        // whole ledger instead; the LATERAL subquery with OFFSET 0 cannot be flattened into such a join.
        await using var command = new NpgsqlCommand(
            """
            SELECT e.tenant_id, e.event_id, e.spend_update_id
            FROM unnest(@tenants, @events) AS k(tenant_id, event_id)
            CROSS JOIN LATERAL (
                SELECT tenant_id, event_id, spend_update_id FROM ledger_entries x
                WHERE x.tenant_id = k.tenant_id AND x.event_id = k.event_id AND x.reverses_id IS NULL
                OFFSET 0) e
            """,
            connection);
        command.Parameters.AddWithValue("tenants", valid.Select(u => u.TenantId).ToArray());
        command.Parameters.AddWithValue("events", valid.Select(u => u.EventId).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            existing[(reader.GetString(0), reader.GetString(1))] = reader.GetGuid(2);
        }

        return existing;
    }

    private static async Task CopyEntriesAsync(
        NpgsqlConnection connection, LedgerBatch batch, Dictionary<(string TenantId, DateOnly Cycle), CycleTotals> locked, CancellationToken cancellationToken)
    {
        if (batch.Priced.Count == 0)
        {
            return;
        }

        var entryIds = new Dictionary<Pricing.Catalog.PriceEntry, string>(ReferenceEqualityComparer.Instance);
        var updateIds = locked.ToDictionary(l => l.Key, l => LedgerBatch.SpendUpdateId(l.Key.TenantId, l.Key.Cycle, l.Value));
        var json = new ChargesJson();
        await using var import = await connection.BeginBinaryImportAsync(CopyEntries, cancellationToken);
        foreach (var priced in batch.Priced)
        {
            var usage = priced.Usage;
            var cycle = priced.Terms.Cycle.StartDate;
            if (!updateIds.TryGetValue((usage.TenantId, cycle), out var updateId))
            {
                throw new InvalidOperationException($"event {usage.EventId} was priced into {usage.TenantId}/{cycle}, whose row is not locked");
            }

            import.StartRow();
            import.Write(usage.TenantId, NpgsqlDbType.Text);
            import.Write(usage.EventId, NpgsqlDbType.Text);
            import.Write(priced.IsAdjustment ? "adjustment" : "usage", NpgsqlDbType.Text);
            import.Write(cycle, NpgsqlDbType.Date);
            import.Write(usage.Provider, NpgsqlDbType.Text);
            import.Write(usage.Model, NpgsqlDbType.Text);
            WriteNullable(import, usage.Service, NpgsqlDbType.Text);
            WriteNullable(import, usage.RequestId, NpgsqlDbType.Text);
            WriteNullable(import, usage.Attributes is null ? null : JsonSerializer.Serialize(usage.Attributes, LedgerDatabase.JsonOptions), NpgsqlDbType.Json);
            import.Write(usage.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            import.Write(batch.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            import.Write(batch.PricedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            import.Write(usage.PromptTokens, NpgsqlDbType.Bigint);
            import.Write(usage.CompletionTokens, NpgsqlDbType.Bigint);
            import.Write(usage.CachedTokens, NpgsqlDbType.Bigint);
            import.Write(usage.CacheWriteTokens, NpgsqlDbType.Bigint);
            WriteNullable(import, usage.MaxTokens, NpgsqlDbType.Bigint);
            import.Write(priced.Price.BilledTokens, NpgsqlDbType.Bigint);
            import.Write(priced.Price.BilledOutputTokens, NpgsqlDbType.Bigint);
            import.Write(priced.Price.ReservedOutputWaste, NpgsqlDbType.Bigint);
            import.Write(priced.Price.ReservedOutputWasteCost, NpgsqlDbType.Numeric);
            import.Write(priced.TierPositionBefore, NpgsqlDbType.Bigint);
            import.Write(entryIds.TryGetValue(priced.Terms.Entry, out var entryId) ? entryId : entryIds[priced.Terms.Entry] = priced.Terms.Entry.Id, NpgsqlDbType.Text);
            import.Write(priced.Terms.Schedule.Name, NpgsqlDbType.Text);
            import.Write(priced.Price.Cost, NpgsqlDbType.Numeric);
            import.Write(json.Write(priced.Charges), NpgsqlDbType.Json);
            import.Write(updateId, NpgsqlDbType.Uuid);
        }

        await import.CompleteAsync(cancellationToken);
    }

    /// <summary>Counters, cycle totals, rollups, hourly usage, rejections and outbox: one round trip.</summary>
    private static async Task WriteTotalsAsync(
        NpgsqlConnection connection,
        LedgerBatch batch,
        PricingSession session,
        IReadOnlyList<(string TenantId, DateOnly Cycle, CycleTotals Totals, SpendUpdated Update)> cycles,
        bool keepRejections,
        CancellationToken cancellationToken)
    {
        await using var commands = new NpgsqlBatch(connection);

        if (cycles.Count > 0)
        {
            var pricedInto = cycles.Select(c => (c.TenantId, c.Cycle)).ToHashSet();
            var counters = session.TierCounters.Where(c => pricedInto.Contains((c.Key.TenantId, c.Key.Cycle))).ToList();
            commands.BatchCommands.Add(Command(
                """
                INSERT INTO cycle_counters (tenant_id, cycle, provider, billed_tokens)
                SELECT * FROM unnest(@tenants, @cycles, @providers, @tokens) ORDER BY 1, 2, 3
                ON CONFLICT (tenant_id, cycle, provider) DO UPDATE SET billed_tokens = EXCLUDED.billed_tokens
                """,
                ("tenants", counters.Select(c => c.Key.TenantId).ToArray()),
                ("cycles", counters.Select(c => c.Key.Cycle).ToArray()),
                ("providers", counters.Select(c => c.Key.Provider).ToArray()),
                ("tokens", counters.Select(c => c.Value).ToArray())));

            commands.BatchCommands.Add(Command(
                """
                UPDATE cycle_states AS s SET version = d.version, events = d.events, cost = d.cost, first_event_at = d.first_event_at, updated_at = @now
                FROM unnest(@tenants, @cycles, @versions, @events, @costs, @firsts) AS d(tenant_id, cycle, version, events, cost, first_event_at)
                WHERE s.tenant_id = d.tenant_id AND s.cycle = d.cycle
                """,
                ("tenants", cycles.Select(c => c.TenantId).ToArray()),
                ("cycles", cycles.Select(c => c.Cycle).ToArray()),
                ("versions", cycles.Select(c => c.Totals.Version).ToArray()),
                ("events", cycles.Select(c => c.Totals.Events).ToArray()),
                ("costs", cycles.Select(c => c.Totals.Cost).ToArray()),
                ("firsts", cycles.Select(c => c.Totals.FirstEventAt!.Value.ToUniversalTime()).ToArray()),
                ("now", batch.PricedAt)));

            var rollups = batch.Rollups.ToList();
            commands.BatchCommands.Add(Command(
                """
                INSERT INTO cycle_rollups AS r (tenant_id, cycle, provider, model, bucket, tier, rate_per_million, discount, tokens, amount)
                SELECT * FROM unnest(@tenants, @cycles, @providers, @models, @buckets, @tiers, @rates, @discounts, @tokens, @amounts)
                ORDER BY 1, 2, 3, 4, 5, 6, 7
                ON CONFLICT (tenant_id, cycle, provider, model, bucket, tier, rate_per_million)
                DO UPDATE SET tokens = r.tokens + EXCLUDED.tokens, amount = r.amount + EXCLUDED.amount
                """,
                ("tenants", rollups.Select(r => r.TenantId).ToArray()),
                ("cycles", rollups.Select(r => r.Cycle).ToArray()),
                ("providers", rollups.Select(r => r.Provider).ToArray()),
                ("models", rollups.Select(r => r.Model).ToArray()),
                ("buckets", rollups.Select(r => r.Bucket).ToArray()),
                ("tiers", rollups.Select(r => r.Tier).ToArray()),
                ("rates", rollups.Select(r => r.RatePerMillion).ToArray()),
                ("discounts", rollups.Select(r => r.Discount).ToArray()),
                ("tokens", rollups.Select(r => r.Tokens).ToArray()),
                ("amounts", rollups.Select(r => r.Amount).ToArray())));

            var models = batch.ModelTotals.ToList();
            commands.BatchCommands.Add(Command(
                """
                INSERT INTO cycle_model_totals AS t (tenant_id, cycle, provider, model, events, prompt_tokens, completion_tokens,
                    cached_tokens, billed_tokens, reserved_output_waste, reserved_output_waste_cost, cost)
                SELECT * FROM unnest(@tenants, @cycles, @providers, @models, @events, @prompt, @completion, @cached, @billed, @waste, @wasteCost, @cost)
                ORDER BY 1, 2, 3, 4
                ON CONFLICT (tenant_id, cycle, provider, model) DO UPDATE SET
                    events = t.events + EXCLUDED.events,
                    prompt_tokens = t.prompt_tokens + EXCLUDED.prompt_tokens,
                    completion_tokens = t.completion_tokens + EXCLUDED.completion_tokens,
                    cached_tokens = t.cached_tokens + EXCLUDED.cached_tokens,
                    billed_tokens = t.billed_tokens + EXCLUDED.billed_tokens,
                    reserved_output_waste = t.reserved_output_waste + EXCLUDED.reserved_output_waste,
                    reserved_output_waste_cost = t.reserved_output_waste_cost + EXCLUDED.reserved_output_waste_cost,
                    cost = t.cost + EXCLUDED.cost
                """,
                ("tenants", models.Select(m => m.TenantId).ToArray()),
                ("cycles", models.Select(m => m.Cycle).ToArray()),
                ("providers", models.Select(m => m.Provider).ToArray()),
                ("models", models.Select(m => m.Model).ToArray()),
                ("events", models.Select(m => m.Events).ToArray()),
                ("prompt", models.Select(m => m.PromptTokens).ToArray()),
                ("completion", models.Select(m => m.CompletionTokens).ToArray()),
                ("cached", models.Select(m => m.CachedTokens).ToArray()),
                ("billed", models.Select(m => m.BilledTokens).ToArray()),
                ("waste", models.Select(m => m.ReservedOutputWaste).ToArray()),
                ("wasteCost", models.Select(m => m.ReservedOutputWasteCost).ToArray()),
                ("cost", models.Select(m => m.Cost).ToArray())));

            var hours = batch.Hourly.ToList();
            commands.BatchCommands.Add(Command(
                """
                INSERT INTO hourly_usage AS h (tenant_id, cycle, hour, provider, model, service, events, prompt_tokens, completion_tokens,
                    cached_tokens, cache_read_tokens, cache_read_over_cap_tokens, cache_write_tokens, input_tokens, output_tokens,
                    reserved_output_waste, reserved_output_waste_cost, cost)
                SELECT * FROM unnest(@tenants, @cycles, @hours, @providers, @models, @services, @events, @prompt, @completion,
                    @cached, @cacheRead, @overCap, @cacheWrite, @input, @output, @waste, @wasteCost, @cost)
                ORDER BY 1, 2, 3, 4, 5, 6
                ON CONFLICT (tenant_id, cycle, hour, provider, model, service) DO UPDATE SET
                    events = h.events + EXCLUDED.events,
                    prompt_tokens = h.prompt_tokens + EXCLUDED.prompt_tokens,
                    completion_tokens = h.completion_tokens + EXCLUDED.completion_tokens,
                    cached_tokens = h.cached_tokens + EXCLUDED.cached_tokens,
                    cache_read_tokens = h.cache_read_tokens + EXCLUDED.cache_read_tokens,
                    cache_read_over_cap_tokens = h.cache_read_over_cap_tokens + EXCLUDED.cache_read_over_cap_tokens,
                    cache_write_tokens = h.cache_write_tokens + EXCLUDED.cache_write_tokens,
                    input_tokens = h.input_tokens + EXCLUDED.input_tokens,
                    output_tokens = h.output_tokens + EXCLUDED.output_tokens,
                    reserved_output_waste = h.reserved_output_waste + EXCLUDED.reserved_output_waste,
                    reserved_output_waste_cost = h.reserved_output_waste_cost + EXCLUDED.reserved_output_waste_cost,
                    cost = h.cost + EXCLUDED.cost
                """,
                ("tenants", hours.Select(h => h.TenantId).ToArray()),
                ("cycles", hours.Select(h => h.Cycle).ToArray()),
                ("hours", hours.Select(h => h.Hour).ToArray()),
                ("providers", hours.Select(h => h.Provider).ToArray()),
                ("models", hours.Select(h => h.Model).ToArray()),
                ("services", hours.Select(h => h.Service).ToArray()),
                ("events", hours.Select(h => h.Events).ToArray()),
                ("prompt", hours.Select(h => h.PromptTokens).ToArray()),
                ("completion", hours.Select(h => h.CompletionTokens).ToArray()),
                ("cached", hours.Select(h => h.CachedTokens).ToArray()),
                ("cacheRead", hours.Select(h => h.CacheReadTokens).ToArray()),
                ("overCap", hours.Select(h => h.CacheReadOverCapTokens).ToArray()),
                ("cacheWrite", hours.Select(h => h.CacheWriteTokens).ToArray()),
                ("input", hours.Select(h => h.InputTokens).ToArray()),
                ("output", hours.Select(h => h.OutputTokens).ToArray()),
                ("waste", hours.Select(h => h.ReservedOutputWaste).ToArray()),
                ("wasteCost", hours.Select(h => h.ReservedOutputWasteCost).ToArray()),
                ("cost", hours.Select(h => h.Cost).ToArray())));

            var outbox = cycles.Select(c => ToEnvelope(c.Update)).ToList();
            var insertOutbox = Command(
                """
                INSERT INTO outbox_messages (id, message_type, body, created_at)
                SELECT id, message_type, body, @now FROM unnest(@ids, @types, @bodies) AS o(id, message_type, body)
                ON CONFLICT (id) DO NOTHING
                """,
                ("ids", outbox.Select(o => o.Id).ToArray()),
                ("types", outbox.Select(o => o.MessageType).ToArray()),
                ("now", batch.PricedAt));
            insertOutbox.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = outbox.Select(o => o.Body).ToArray() });
            commands.BatchCommands.Add(insertOutbox);
        }

        if (keepRejections && batch.Rejections.Count > 0)
        {
            var hashes = new Dictionary<IncomingMessage, byte[]>(ReferenceEqualityComparer.Instance);
            byte[] HashOf(IncomingMessage message) =>
                hashes.TryGetValue(message, out var hash) ? hash : hashes[message] = SHA256.HashData(message.Body.Span);

            var rejections = batch.Rejections;
            commands.BatchCommands.Add(Command(
                """
                INSERT INTO rejected_events (received_at, code, message, raw, body_hash, position, event_id, tenant_id)
                SELECT @now, * FROM unnest(@codes, @messages, @raws, @hashes, @positions, @events, @tenants)
                ON CONFLICT (body_hash, position) DO NOTHING
                """,
                ("now", batch.ReceivedAt),
                ("codes", rejections.Select(r => r.Rejection.Code).ToArray()),
                ("messages", rejections.Select(r => StorableText.Of(r.Rejection.Message)).ToArray()),
                ("raws", rejections.Select(r => r.Read.Raw.ToArray()).ToArray()),
                ("hashes", rejections.Select(r => HashOf(r.Message)).ToArray()),
                ("positions", rejections.Select(r => r.Position).ToArray()),
                ("events", rejections.Select(r => StorableText.OrNull(r.Read.EventId)).ToArray()),
                ("tenants", rejections.Select(r => StorableText.OrNull(r.Read.TenantId)).ToArray())));
        }

        if (commands.BatchCommands.Count > 0)
        {
            await commands.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<List<OutboxEnvelope>> LoadOutboxAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var envelopes = new List<OutboxEnvelope>(ids.Count);
        if (ids.Count == 0)
        {
            return envelopes;
        }

        await using var command = new NpgsqlCommand("SELECT id, message_type, body::text FROM outbox_messages WHERE id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            envelopes.Add(new OutboxEnvelope(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        }

        return envelopes;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return command;
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

    private sealed class CycleKeyComparer : IComparer<(string TenantId, DateOnly Cycle)>
    {
        public static readonly CycleKeyComparer Instance = new();

        public int Compare((string TenantId, DateOnly Cycle) x, (string TenantId, DateOnly Cycle) y)
        {
            var byTenant = string.CompareOrdinal(x.TenantId, y.TenantId);
            return byTenant != 0 ? byTenant : x.Cycle.CompareTo(y.Cycle);
        }
    }
}
