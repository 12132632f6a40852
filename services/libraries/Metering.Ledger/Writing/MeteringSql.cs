using System.Security.Cryptography;
using Metering.Ledger.Outbox;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Metering.Pricing.Usage;
using Npgsql;
using NpgsqlTypes;

namespace Metering.Ledger.Writing;

/// <summary>
/// Every statement of the metering transaction, in the order it runs them: claim the events, hold the tenants, lock
/// the cycles and read their counters, then write what was decided. Plain Npgsql, one round trip per step.
/// </summary>
public static class MeteringSql
{
    /// <summary>
    /// The first round trip of the transaction makes and holds (<c>FOR SHARE</c>) the batch's tenants' rows and reads
    /// the catalog revision: what the batch needs to know which cycles to lock. With each held row comes the attribute
    /// values its budgets name, as <c>key=value</c> (<see cref="AttributeRollup"/>); only tenants with some are listed.
    /// </summary>
    public static async Task<(Dictionary<string, TenantSettings> Tenants, long? CatalogRevision, Dictionary<string, string[]> Attributes)> HoldTenantsAsync(
        NpgsqlConnection connection, IReadOnlyList<string> tenantIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tenants = new Dictionary<string, TenantSettings>(StringComparer.Ordinal);
        var attributes = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var ids = tenantIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(
                    """
                    INSERT INTO tenants (tenant_id, cycle_anchor_day, tier_schedules, created_at)
                    SELECT id, 1, '{}', @now FROM unnest(@ids::text[]) AS t(id) ORDER BY id COLLATE "C"
                    ON CONFLICT DO NOTHING
                    """,
                    ("ids", ids),
                    ("now", now)),
                Command(
                    $"SELECT {TenantStore.Columns}, budget_attributes FROM tenants WHERE tenant_id = ANY(@ids) ORDER BY tenant_id COLLATE \"C\" FOR SHARE",
                    ("ids", ids)),
                Command("SELECT revision FROM catalog_revision WHERE id = 1"),
            },
        };

        // The tenants' INSERT returns no rows, and Npgsql skips a statement without a result set.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tenant = TenantStore.Read(reader);
            tenants[tenant.TenantId] = tenant;
            if (reader.GetFieldValue<string[]>(3) is { Length: > 0 } named)
            {
                attributes[tenant.TenantId] = named;
            }
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (tenants, reader.GetInt64(0), attributes);
    }

    /// <summary>
    /// Claims every event of the batch, once the cycles it prices into are locked: a key another transaction holds
    /// uncommitted is waited for, one already billed is not claimed and comes back with the batch that billed it. Each
    /// claim draws its entry's id here, under the cycle locks held to the commit, so within a cycle entry ids grow in
    /// commit order and a reader paging by id (<c>nextCursor</c>) never passes an entry that commits later. Claims are
    /// taken after all of the transaction's cycle locks and in key order, so two transactions never wait on each
    /// other's claims and locks at once.
    /// <para>
    /// A batch without duplicates — nearly every batch — is claimed with one binary <c>COPY</c> under a savepoint,
    /// about four times cheaper than an <c>INSERT … ON CONFLICT</c> of the same keys (100,000 keys: 0.36 s against
    /// 1.3 s, and the claim runs while the batch holds its cycle locks). The first key already claimed fails the
    /// <c>COPY</c>; the savepoint is rolled back and the batch is claimed key by key instead.
    /// </para>
    /// </summary>
    public static async Task<Claim> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<EventKey> keys, Guid batchId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return new Claim(new Dictionary<EventKey, long>(), new Dictionary<EventKey, (Guid?, long?)>());
        }

        await transaction.SaveAsync(ClaimSavepoint, cancellationToken);
        try
        {
            var claimed = await CopyClaimsAsync(connection, keys, batchId, now, cancellationToken);
            await transaction.ReleaseAsync(ClaimSavepoint, cancellationToken);
            return new Claim(claimed, new Dictionary<EventKey, (Guid?, long?)>());
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.TableName == "event_keys")
        {
            await transaction.RollbackAsync(ClaimSavepoint, cancellationToken);
            return await ClaimEachAsync(connection, keys, batchId, now, cancellationToken);
        }
    }

    private const string ClaimSavepoint = "claim";

    /// <summary>Draws the entry ids and writes every key with one binary <c>COPY</c>, in key order; fails on the first key claimed before.</summary>
    private static async Task<Dictionary<EventKey, long>> CopyClaimsAsync(
        NpgsqlConnection connection, IReadOnlyList<EventKey> keys, Guid batchId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<EventKey, long>(keys.Count);
        await using (var draw = new NpgsqlCommand("SELECT nextval('ledger_entries_id_seq') FROM generate_series(1, @n)", connection))
        {
            draw.Parameters.AddWithValue("n", keys.Count);
            await using var ids = await draw.ExecuteReaderAsync(cancellationToken);
            var i = 0;
            while (await ids.ReadAsync(cancellationToken))
            {
                claimed[keys[i++]] = ids.GetInt64(0);
            }
        }

        var at = now.ToUniversalTime();
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY event_keys (tenant_id, event_id, batch_id, entry_id, claimed_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var key in keys)
        {
            import.StartRow();
            import.Write(key.TenantId, NpgsqlDbType.Text);
            import.Write(key.EventId, NpgsqlDbType.Text);
            import.Write(batchId, NpgsqlDbType.Uuid);
            import.Write(claimed[key], NpgsqlDbType.Bigint);
            import.Write(at, NpgsqlDbType.TimestampTz);
        }

        await import.CompleteAsync(cancellationToken);
        return claimed;
    }

    /// <summary>
    /// Claims key by key in one ordered <c>INSERT … ON CONFLICT DO NOTHING</c>, for a batch holding duplicates. Only
    /// the keys not claimed are looked up in <c>event_keys</c>, so the key index is read no more than the insert does.
    /// </summary>
    private static async Task<Claim> ClaimEachAsync(
        NpgsqlConnection connection, IReadOnlyList<EventKey> keys, Guid batchId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<EventKey, long>(keys.Count);
        var billed = new Dictionary<EventKey, (Guid?, long?)>();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(
            """
            WITH wanted AS (
                SELECT * FROM unnest(@tenants::text[], @events::text[]) AS w(tenant_id, event_id)
            ), claimed AS (
                INSERT INTO event_keys (tenant_id, event_id, batch_id, entry_id, claimed_at)
                SELECT tenant_id, event_id, @batch, nextval('ledger_entries_id_seq'), @now FROM wanted
                ORDER BY tenant_id COLLATE "C", event_id COLLATE "C"
                ON CONFLICT DO NOTHING
                RETURNING tenant_id, event_id, entry_id
            )
            SELECT tenant_id, event_id, entry_id, NULL::uuid, NULL::bigint FROM claimed
            UNION ALL
            SELECT w.tenant_id, w.event_id, NULL, k.batch_id, k.entry_id
            FROM wanted w
            LEFT JOIN event_keys k ON k.tenant_id = w.tenant_id AND k.event_id = w.event_id
            WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c.tenant_id = w.tenant_id AND c.event_id = w.event_id)
            """,
            ("tenants", keys.Select(k => k.TenantId).ToArray()),
            ("events", keys.Select(k => k.EventId).ToArray()),
            ("batch", batchId),
            ("now", now)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new EventKey(reader.GetString(0), reader.GetString(1));
            if (!reader.IsDBNull(2))
            {
                claimed[key] = reader.GetInt64(2);
            }
            else
            {
                billed[key] = (reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetInt64(4));
            }
        }

        return new Claim(claimed, billed);
    }

    /// <summary>
    /// Locks the (tenant, cycle) rows the batch prices into, in key order, creating the missing ones in the same ordered
    /// pass (inserting first and locking after would take locks out of order and could deadlock), and seeds the
    /// session with their tier counters. Every writer of a cycle is serialised here, so no counter loses an update.
    /// </summary>
    public static async Task<Dictionary<CycleKey, CycleTotals>> LockCyclesAsync(
        NpgsqlConnection connection, IReadOnlyCollection<CycleKey> keys, DateTimeOffset now, PricingSession session, CancellationToken cancellationToken)
    {
        var locked = new Dictionary<CycleKey, CycleTotals>(keys.Count);
        if (keys.Count == 0)
        {
            return locked;
        }

        var tenants = keys.Select(k => k.TenantId).ToArray();
        var cycles = keys.Select(k => k.Cycle).ToArray();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(
                    """
                    INSERT INTO cycle_states AS s (tenant_id, cycle, version, events, cost, reversals, updated_at)
                    SELECT k.tenant_id, k.cycle, 0, 0, 0, 0, @now
                    FROM unnest(@tenants::text[], @cycles::date[]) AS k(tenant_id, cycle)
                    ORDER BY k.tenant_id COLLATE "C", k.cycle
                    ON CONFLICT (tenant_id, cycle) DO UPDATE SET version = s.version
                    RETURNING tenant_id, cycle, version, events, cost, first_event_at
                    """,
                    ("tenants", tenants),
                    ("cycles", cycles),
                    ("now", now)),
                Command(
                    """
                    SELECT c.tenant_id, c.cycle, c.provider, c.billed_tokens
                    FROM cycle_counters c JOIN unnest(@tenants::text[], @cycles::date[]) AS k(tenant_id, cycle) USING (tenant_id, cycle)
                    """,
                    ("tenants", tenants),
                    ("cycles", cycles)),
            },
        };

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            locked[new CycleKey(reader.GetString(0), reader.GetFieldValue<DateOnly>(1))] = new CycleTotals(
                reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            session.TierCounters[new TierCounterKey(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2))] = reader.GetInt64(3);
        }

        return locked;
    }

    /// <summary>What a batch adds to a minute row (<c>AS m</c>) of <c>minute_usage</c> or <c>attribute_minute_usage</c>.</summary>
    private const string AddToMinute = """
        events = m.events + EXCLUDED.events,
            cache_read_tokens = m.cache_read_tokens + EXCLUDED.cache_read_tokens,
            cache_read_over_cap_tokens = m.cache_read_over_cap_tokens + EXCLUDED.cache_read_over_cap_tokens,
            cache_write_tokens = m.cache_write_tokens + EXCLUDED.cache_write_tokens,
            input_tokens = m.input_tokens + EXCLUDED.input_tokens,
            output_tokens = m.output_tokens + EXCLUDED.output_tokens,
            cost = m.cost + EXCLUDED.cost,
            last_event_at = greatest(m.last_event_at, EXCLUDED.last_event_at)
        """;

    /// <summary>
    /// Everything but the entries, in one round trip: counters, cycle totals, rollups, per-model totals, hourly and minute usage
    /// (and attribute minutes), rejections, the claims of events rejected after all, and the outbox (new spend updates, and again what the first
    /// delivery of each duplicate published).
    /// </summary>
    public static async Task WriteAsync(
        NpgsqlConnection connection,
        BatchOutcome outcome,
        LedgerChanges changes,
        IEnumerable<EventKey> released,
        Guid batchId,
        bool keepRejections,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (changes.Cycles.Count > 0)
        {
            AddTotals(batch, outcome, changes, now);
            foreach (var command in OutboxStore.Enqueue(changes.Cycles.Select(c => OutboxEnvelope.Of(c.Update, batchId, c.Key.TenantId)).ToList(), now))
            {
                batch.BatchCommands.Add(command);
            }
        }

        var republish = outcome.Duplicates.Where(d => d.FirstDelivery is not null).Select(d => (d.FirstDelivery!.Value, d.Key.TenantId)).Distinct().ToList();
        if (republish.Count > 0)
        {
            batch.BatchCommands.Add(OutboxStore.Republish(republish));
        }

        var unclaim = released.ToList();
        if (unclaim.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                "DELETE FROM event_keys k USING unnest(@tenants::text[], @events::text[]) AS r(tenant_id, event_id) WHERE k.tenant_id = r.tenant_id AND k.event_id = r.event_id",
                ("tenants", unclaim.Select(k => k.TenantId).ToArray()),
                ("events", unclaim.Select(k => k.EventId).ToArray())));
        }

        if (keepRejections && outcome.Rejections.Count > 0)
        {
            batch.BatchCommands.Add(InsertRejections(outcome.Rejections, now));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Keeps rejected events with their bytes, reason and identity; the same bytes at the same position of a message are kept once.</summary>
    public static NpgsqlBatchCommand InsertRejections(IReadOnlyList<RejectedRead> rejections, DateTimeOffset now)
    {
        var hashes = new Dictionary<IncomingMessage, byte[]>(ReferenceEqualityComparer.Instance);
        byte[] HashOf(IncomingMessage message) =>
            hashes.TryGetValue(message, out var hash) ? hash : hashes[message] = SHA256.HashData(message.Body.Span);

        return Command(
            """
            INSERT INTO rejected_events (received_at, code, message, raw, body_hash, position, event_id, tenant_id)
            SELECT * FROM unnest(@received, @codes, @messages, @raws, @hashes, @positions, @events, @tenants)
            ON CONFLICT (body_hash, position) DO NOTHING
            """,
            ("received", rejections.Select(r => r.Message.ArrivedAt.ToUniversalTime()).ToArray()),
            ("codes", rejections.Select(r => r.Rejection.Code).ToArray()),
            ("messages", rejections.Select(r => StorableText.Of(r.Rejection.Message)).ToArray()),
            ("raws", rejections.Select(r => r.Read.Raw.ToArray()).ToArray()),
            ("hashes", rejections.Select(r => HashOf(r.Message)).ToArray()),
            ("positions", rejections.Select(r => r.Position).ToArray()),
            ("events", rejections.Select(r => StorableText.OrNull(r.EventId)).ToArray()),
            ("tenants", rejections.Select(r => StorableText.OrNull(r.TenantId)).ToArray()));
    }

    public static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return command;
    }

    private static void AddTotals(NpgsqlBatch batch, BatchOutcome outcome, LedgerChanges changes, DateTimeOffset now)
    {
        var counters = outcome.CounterMoves;
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO cycle_counters (tenant_id, cycle, provider, billed_tokens)
            SELECT * FROM unnest(@tenants::text[], @cycles::date[], @providers::text[], @tokens::bigint[]) ORDER BY 1, 2, 3
            ON CONFLICT (tenant_id, cycle, provider) DO UPDATE SET billed_tokens = EXCLUDED.billed_tokens
            """,
            ("tenants", counters.Select(c => c.Key.TenantId).ToArray()),
            ("cycles", counters.Select(c => c.Key.Cycle).ToArray()),
            ("providers", counters.Select(c => c.Key.Provider).ToArray()),
            ("tokens", counters.Select(c => c.After).ToArray())));

        var cycles = changes.Cycles;
        batch.BatchCommands.Add(Command(
            """
            UPDATE cycle_states AS s SET version = d.version, events = d.events, cost = d.cost, first_event_at = d.first_event_at, updated_at = @now
            FROM unnest(@tenants::text[], @cycles::date[], @versions::bigint[], @events::bigint[], @costs::numeric[], @firsts::timestamptz[])
                AS d(tenant_id, cycle, version, events, cost, first_event_at)
            WHERE s.tenant_id = d.tenant_id AND s.cycle = d.cycle
            """,
            ("tenants", cycles.Select(c => c.Key.TenantId).ToArray()),
            ("cycles", cycles.Select(c => c.Key.Cycle).ToArray()),
            ("versions", cycles.Select(c => c.After.Version).ToArray()),
            ("events", cycles.Select(c => c.After.Events).ToArray()),
            ("costs", cycles.Select(c => c.After.Cost).ToArray()),
            ("firsts", cycles.Select(c => c.After.FirstEventAt!.Value.ToUniversalTime()).ToArray()),
            ("now", now)));

        var rollups = changes.Rollups.ToList();
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO cycle_rollups AS r (tenant_id, cycle, provider, model, bucket, tier, rate_per_million, kind, discount, tokens, amount)
            SELECT * FROM unnest(@tenants::text[], @cycles::date[], @providers::text[], @models::text[], @buckets::text[], @tiers::int[],
                @rates::numeric[], @kinds::text[], @discounts::numeric[], @tokens::bigint[], @amounts::numeric[])
            ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (tenant_id, cycle, provider, model, bucket, tier, rate_per_million, kind)
            DO UPDATE SET tokens = r.tokens + EXCLUDED.tokens, amount = r.amount + EXCLUDED.amount
            """,
            ("tenants", rollups.Select(r => r.TenantId).ToArray()),
            ("cycles", rollups.Select(r => r.Cycle).ToArray()),
            ("providers", rollups.Select(r => r.Provider).ToArray()),
            ("models", rollups.Select(r => r.Model).ToArray()),
            ("buckets", rollups.Select(r => r.Bucket).ToArray()),
            ("tiers", rollups.Select(r => r.Tier).ToArray()),
            ("rates", rollups.Select(r => r.RatePerMillion).ToArray()),
            ("kinds", rollups.Select(r => r.Kind).ToArray()),
            ("discounts", rollups.Select(r => r.Discount).ToArray()),
            ("tokens", rollups.Select(r => r.Tokens).ToArray()),
            ("amounts", rollups.Select(r => r.Amount).ToArray())));

        var models = changes.ModelTotals.ToList();
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO cycle_model_totals AS t (tenant_id, cycle, provider, model, events, prompt_tokens, completion_tokens,
                cached_tokens, reasoning_tokens, billed_tokens, reserved_output_waste, reserved_output_waste_cost, cost)
            SELECT * FROM unnest(@tenants::text[], @cycles::date[], @providers::text[], @models::text[], @events::bigint[], @prompt::bigint[],
                @completion::bigint[], @cached::bigint[], @reasoning::bigint[], @billed::bigint[], @waste::bigint[], @wasteCost::numeric[], @cost::numeric[])
            ORDER BY 1, 2, 3, 4
            ON CONFLICT (tenant_id, cycle, provider, model) DO UPDATE SET
                events = t.events + EXCLUDED.events,
                prompt_tokens = t.prompt_tokens + EXCLUDED.prompt_tokens,
                completion_tokens = t.completion_tokens + EXCLUDED.completion_tokens,
                cached_tokens = t.cached_tokens + EXCLUDED.cached_tokens,
                reasoning_tokens = t.reasoning_tokens + EXCLUDED.reasoning_tokens,
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
            ("reasoning", models.Select(m => m.ReasoningTokens).ToArray()),
            ("billed", models.Select(m => m.BilledTokens).ToArray()),
            ("waste", models.Select(m => m.ReservedOutputWaste).ToArray()),
            ("wasteCost", models.Select(m => m.ReservedOutputWasteCost).ToArray()),
            ("cost", models.Select(m => m.Cost).ToArray())));

        var hours = changes.Hourly.ToList();
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO hourly_usage AS h (tenant_id, cycle, hour, provider, model, service, events, prompt_tokens, completion_tokens,
                cached_tokens, cache_read_tokens, cache_read_over_cap_tokens, cache_write_tokens, input_tokens, output_tokens,
                reserved_output_waste, reserved_output_waste_cost, cost)
            SELECT * FROM unnest(@tenants::text[], @cycles::date[], @hours::timestamptz[], @providers::text[], @models::text[], @services::text[],
                @events::bigint[], @prompt::bigint[], @completion::bigint[], @cached::bigint[], @cacheRead::bigint[], @overCap::bigint[],
                @cacheWrite::bigint[], @input::bigint[], @output::bigint[], @waste::bigint[], @wasteCost::numeric[], @cost::numeric[])
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

        var minutes = changes.Minutes.ToList();
        batch.BatchCommands.Add(Command(
            $"""
            INSERT INTO minute_usage AS m (tenant_id, cycle, minute, provider, model, service, events,
                cache_read_tokens, cache_read_over_cap_tokens, cache_write_tokens, input_tokens, output_tokens, cost, last_event_at)
            SELECT * FROM unnest(@tenants::text[], @cycles::date[], @minutes::timestamptz[], @providers::text[], @models::text[], @services::text[],
                @events::bigint[], @cacheRead::bigint[], @overCap::bigint[], @cacheWrite::bigint[], @input::bigint[], @output::bigint[], @cost::numeric[],
                @last::timestamptz[])
            ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (tenant_id, cycle, minute, provider, model, service) DO UPDATE SET {AddToMinute}
            """,
            ("tenants", minutes.Select(m => m.TenantId).ToArray()),
            ("cycles", minutes.Select(m => m.Cycle).ToArray()),
            ("minutes", minutes.Select(m => m.Minute).ToArray()),
            ("providers", minutes.Select(m => m.Provider).ToArray()),
            ("models", minutes.Select(m => m.Model).ToArray()),
            ("services", minutes.Select(m => m.Service).ToArray()),
            ("events", minutes.Select(m => m.Events).ToArray()),
            ("cacheRead", minutes.Select(m => m.CacheReadTokens).ToArray()),
            ("overCap", minutes.Select(m => m.CacheReadOverCapTokens).ToArray()),
            ("cacheWrite", minutes.Select(m => m.CacheWriteTokens).ToArray()),
            ("input", minutes.Select(m => m.InputTokens).ToArray()),
            ("output", minutes.Select(m => m.OutputTokens).ToArray()),
            ("cost", minutes.Select(m => m.Cost).ToArray()),
            ("last", minutes.Select(m => m.LastEventAt).ToArray())));

        // only for tenants whose budgets name an attribute value: most batches have none, and add no statement
        var attributes = changes.AttributeMinutes.ToList();
        if (attributes.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                $"""
                INSERT INTO attribute_minute_usage AS m (tenant_id, cycle, minute, provider, model, attribute_key, attribute_value, events,
                    cache_read_tokens, cache_read_over_cap_tokens, cache_write_tokens, input_tokens, output_tokens, cost, last_event_at)
                SELECT * FROM unnest(@tenants::text[], @cycles::date[], @minutes::timestamptz[], @providers::text[], @models::text[], @keys::text[],
                    @values::text[], @events::bigint[], @cacheRead::bigint[], @overCap::bigint[], @cacheWrite::bigint[], @input::bigint[], @output::bigint[],
                    @cost::numeric[], @last::timestamptz[])
                ORDER BY 1, 2, 3, 4, 5, 6, 7
                ON CONFLICT (tenant_id, cycle, minute, provider, model, attribute_key, attribute_value) DO UPDATE SET {AddToMinute}
                """,
                ("tenants", attributes.Select(m => m.TenantId).ToArray()),
                ("cycles", attributes.Select(m => m.Cycle).ToArray()),
                ("minutes", attributes.Select(m => m.Minute).ToArray()),
                ("providers", attributes.Select(m => m.Provider).ToArray()),
                ("models", attributes.Select(m => m.Model).ToArray()),
                ("keys", attributes.Select(m => m.AttributeKey).ToArray()),
                ("values", attributes.Select(m => m.AttributeValue).ToArray()),
                ("events", attributes.Select(m => m.Events).ToArray()),
                ("cacheRead", attributes.Select(m => m.CacheReadTokens).ToArray()),
                ("overCap", attributes.Select(m => m.CacheReadOverCapTokens).ToArray()),
                ("cacheWrite", attributes.Select(m => m.CacheWriteTokens).ToArray()),
                ("input", attributes.Select(m => m.InputTokens).ToArray()),
                ("output", attributes.Select(m => m.OutputTokens).ToArray()),
                ("cost", attributes.Select(m => m.Cost).ToArray()),
                ("last", attributes.Select(m => m.LastEventAt).ToArray())));
        }
    }
}
