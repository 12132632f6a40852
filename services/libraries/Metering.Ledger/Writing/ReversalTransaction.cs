using System.Text.Json;
using Metering.Contracts;
using Metering.Ledger.Model;
using Metering.Ledger.Outbox;
using Metering.Pricing;
using Metering.Pricing.Batches;
using Npgsql;

namespace Metering.Ledger.Writing;

/// <summary>
/// A reversal (SPEC §6): a new entry that negates an earlier one, linked to it, in the same cycle's totals — every
/// token count and amount negated, charge by charge at the rate it was billed at — written by the metering worker
/// like any entry. Nothing is re-priced: the provider's volume counter stays where it is, so the events after the
/// reversed one keep the tier positions and prices they were billed at. An entry is reversed at most once, and a
/// reversal is never reversed.
/// </summary>
public sealed class ReversalTransaction(NpgsqlDataSource dataSource)
{
    public async Task<EntryReversal> ReverseAsync(ReverseEntry request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        EntryReversal Answer(string outcome) => new() { TenantId = request.TenantId, EntryId = request.EntryId, Outcome = outcome };

        var original = await FindAsync(connection, request, cancellationToken);
        if (original is null)
        {
            return Answer("not-found");
        }

        if (original.Kind == EntryKind.Reversal)
        {
            return Answer("is-a-reversal");
        }

        var cycle = new CycleKey(request.TenantId, original.Cycle);
        var version = await LockCycleAsync(connection, cycle, cancellationToken);
        if (await IsReversedAsync(connection, request, cancellationToken))
        {
            return Answer("already-reversed");
        }

        var charges = original.Charges.Select(c => c with { Tokens = -c.Tokens, Amount = -c.Amount }).ToList();
        var reversalId = await InsertAsync(connection, original, charges, request, now, cancellationToken);
        var spend = await ApplyAsync(connection, original, charges, now, cancellationToken);
        var update = LedgerChanges.SpendUpdateOf(cycle, new CycleTotals(version + 1, spend.Events, spend.Cost), now);
        await OutboxStore.EnqueueAsync(connection, [OutboxEnvelope.Of(update, Guid.CreateVersion7(now), request.TenantId)], now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Answer("reversed") with { ReversalId = reversalId, Cycle = update.Cycle, Cost = Money.Format(-original.Cost) };
    }

    private static async Task<LedgerEntry?> FindAsync(NpgsqlConnection connection, ReverseEntry request, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT kind, event_id, cycle, provider, model, service, request_id, attributes::text, occurred_at, prompt_tokens, completion_tokens,
                   cached_tokens, cache_write_tokens, max_tokens, billed_tokens, billed_output_tokens, reserved_output_waste,
                   reserved_output_waste_cost, tier_position_before, price_entry_id, tier_schedule, cost, charges::text, reasoning_tokens, matched_by
            FROM ledger_entries WHERE tenant_id = @tenant AND id = @id
            """,
            connection);
        command.Parameters.AddWithValue("tenant", request.TenantId);
        command.Parameters.AddWithValue("id", request.EntryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new LedgerEntry
        {
            Id = request.EntryId,
            TenantId = request.TenantId,
            Kind = Enum.Parse<EntryKind>(reader.GetString(0), ignoreCase: true),
            EventId = reader.GetString(1),
            Cycle = reader.GetFieldValue<DateOnly>(2),
            Provider = reader.GetString(3),
            Model = reader.GetString(4),
            Service = reader.IsDBNull(5) ? null : reader.GetString(5),
            RequestId = reader.IsDBNull(6) ? null : reader.GetString(6),
            Attributes = reader.IsDBNull(7) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(7), LedgerDatabase.JsonOptions),
            OccurredAt = reader.GetFieldValue<DateTimeOffset>(8),
            PromptTokens = reader.GetInt64(9),
            CompletionTokens = reader.GetInt64(10),
            CachedTokens = reader.GetInt64(11),
            CacheWriteTokens = reader.GetInt64(12),
            MaxTokens = reader.IsDBNull(13) ? null : reader.GetInt64(13),
            BilledTokens = reader.GetInt64(14),
            BilledOutputTokens = reader.GetInt64(15),
            ReservedOutputWaste = reader.GetInt64(16),
            ReservedOutputWasteCost = reader.GetDecimal(17),
            TierPositionBefore = reader.GetInt64(18),
            PriceEntryId = reader.GetString(19),
            TierSchedule = reader.GetString(20),
            Cost = reader.GetDecimal(21),
            Charges = JsonSerializer.Deserialize<List<LedgerCharge>>(reader.GetString(22), LedgerDatabase.JsonOptions)!,
            ReasoningTokens = reader.GetInt64(23),
            MatchedBy = reader.IsDBNull(24) ? null : reader.GetString(24),
        };
    }

    /// <summary>Serialises the reversal with every other writer of the cycle, as the metering transaction does.</summary>
    private static async Task<long> LockCycleAsync(NpgsqlConnection connection, CycleKey cycle, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM cycle_states WHERE tenant_id = @tenant AND cycle = @cycle FOR UPDATE", connection);
        command.Parameters.AddWithValue("tenant", cycle.TenantId);
        command.Parameters.AddWithValue("cycle", cycle.Cycle);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<bool> IsReversedAsync(NpgsqlConnection connection, ReverseEntry request, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM ledger_entries WHERE tenant_id = @tenant AND reverses_id = @id)", connection);
        command.Parameters.AddWithValue("tenant", request.TenantId);
        command.Parameters.AddWithValue("id", request.EntryId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<long> InsertAsync(
        NpgsqlConnection connection, LedgerEntry original, List<LedgerCharge> charges, ReverseEntry request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO ledger_entries (tenant_id, event_id, kind, reverses_id, reason, cycle, provider, model, service, request_id, attributes,
                occurred_at, received_at, priced_at, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, max_tokens,
                reasoning_tokens, billed_tokens, billed_output_tokens, reserved_output_waste, reserved_output_waste_cost, tier_position_before,
                price_entry_id, matched_by, tier_schedule, cost, charges)
            SELECT tenant_id, event_id, 'reversal', id, @reason, cycle, provider, model, service, request_id, attributes,
                occurred_at, @now, @now, -prompt_tokens, -completion_tokens, -cached_tokens, -cache_write_tokens, max_tokens,
                -reasoning_tokens, -billed_tokens, -billed_output_tokens, -reserved_output_waste, -reserved_output_waste_cost, tier_position_before,
                price_entry_id, matched_by, tier_schedule, -cost, @charges::json
            FROM ledger_entries WHERE tenant_id = @tenant AND id = @id
            RETURNING id
            """,
            connection);
        command.Parameters.AddWithValue("reason", $"{request.Reason} (by {request.RequestedBy})");
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("charges", new ChargesJson().Write(charges));
        command.Parameters.AddWithValue("tenant", original.TenantId);
        command.Parameters.AddWithValue("id", original.Id);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Takes the entry out of the cycle's totals, rollups (as reversal lines), model totals and hourly and minute usage.</summary>
    private static async Task<(long Events, decimal Cost)> ApplyAsync(
        NpgsqlConnection connection, LedgerEntry original, List<LedgerCharge> charges, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long Bucket(string kind) => charges.Where(c => c.Kind == kind).Sum(c => c.Tokens);
        var hour = UsageTime.HourOf(original.OccurredAt);
        var key = new (string, object)[] { ("tenant", original.TenantId), ("cycle", original.Cycle), ("provider", original.Provider), ("model", original.Model) };
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(MeteringSql.Command(
            """
            UPDATE cycle_states SET version = version + 1, cost = cost - @cost, reversals = reversals + 1, updated_at = @now
            WHERE tenant_id = @tenant AND cycle = @cycle
            RETURNING events, cost
            """,
            ("cost", original.Cost), ("now", now), ("tenant", original.TenantId), ("cycle", original.Cycle)));
        foreach (var charge in charges)
        {
            batch.BatchCommands.Add(MeteringSql.Command(
                """
                INSERT INTO cycle_rollups AS r (tenant_id, cycle, provider, model, bucket, tier, rate_per_million, kind, discount, tokens, amount)
                VALUES (@tenant, @cycle, @provider, @model, @bucket, @tier, @rate, 'reversal', @discount, @tokens, @amount)
                ON CONFLICT (tenant_id, cycle, provider, model, bucket, tier, rate_per_million, kind)
                DO UPDATE SET tokens = r.tokens + EXCLUDED.tokens, amount = r.amount + EXCLUDED.amount
                """,
                [.. key, ("bucket", charge.Kind), ("tier", charge.Tier), ("rate", charge.RatePerMillion), ("discount", charge.Discount), ("tokens", charge.Tokens), ("amount", charge.Amount)]));
        }

        batch.BatchCommands.Add(MeteringSql.Command(
            """
            UPDATE cycle_model_totals SET prompt_tokens = prompt_tokens - @prompt, completion_tokens = completion_tokens - @completion,
                cached_tokens = cached_tokens - @cached, reasoning_tokens = reasoning_tokens - @reasoning, billed_tokens = billed_tokens - @billed, reserved_output_waste = reserved_output_waste - @waste,
                reserved_output_waste_cost = reserved_output_waste_cost - @wasteCost, cost = cost - @cost
            WHERE tenant_id = @tenant AND cycle = @cycle AND provider = @provider AND model = @model
            """,
            [.. key, ("prompt", original.PromptTokens), ("completion", original.CompletionTokens), ("cached", original.CachedTokens),
                ("reasoning", original.ReasoningTokens), ("billed", original.BilledTokens), ("waste", original.ReservedOutputWaste), ("wasteCost", original.ReservedOutputWasteCost), ("cost", original.Cost)]));
        batch.BatchCommands.Add(MeteringSql.Command(
            """
            UPDATE hourly_usage SET prompt_tokens = prompt_tokens - @prompt, completion_tokens = completion_tokens - @completion,
                cached_tokens = cached_tokens - @cached, cache_read_tokens = cache_read_tokens + @cacheRead,
                cache_read_over_cap_tokens = cache_read_over_cap_tokens + @overCap, cache_write_tokens = cache_write_tokens + @cacheWrite,
                input_tokens = input_tokens + @input, output_tokens = output_tokens + @output, reserved_output_waste = reserved_output_waste - @waste,
                reserved_output_waste_cost = reserved_output_waste_cost - @wasteCost, cost = cost - @cost
            WHERE tenant_id = @tenant AND cycle = @cycle AND hour = @hour AND provider = @provider AND model = @model AND service = @service
            """,
            [.. key, ("hour", hour), ("service", original.Service ?? string.Empty), ("prompt", original.PromptTokens),
                ("completion", original.CompletionTokens), ("cached", original.CachedTokens), ("cacheRead", Bucket(BucketKind.CacheRead.Name())),
                ("overCap", Bucket(BucketKind.CacheReadOverCap.Name())), ("cacheWrite", Bucket(BucketKind.CacheWrite.Name())),
                ("input", Bucket(BucketKind.Input.Name())), ("output", Bucket(BucketKind.Output.Name()) + Bucket(BucketKind.Reasoning.Name())), ("waste", original.ReservedOutputWaste),
                ("wasteCost", original.ReservedOutputWasteCost), ("cost", original.Cost)]));

        const string minuteTotals = """
            cache_read_tokens = cache_read_tokens + @cacheRead, cache_read_over_cap_tokens = cache_read_over_cap_tokens + @overCap,
                cache_write_tokens = cache_write_tokens + @cacheWrite, input_tokens = input_tokens + @input, output_tokens = output_tokens + @output,
                cost = cost - @cost
            """;
        (string, object)[] minute =
        [
            .. key, ("minute", UsageTime.MinuteOf(original.OccurredAt)), ("service", original.Service ?? string.Empty),
            ("cacheRead", Bucket(BucketKind.CacheRead.Name())), ("overCap", Bucket(BucketKind.CacheReadOverCap.Name())),
            ("cacheWrite", Bucket(BucketKind.CacheWrite.Name())), ("input", Bucket(BucketKind.Input.Name())),
            ("output", Bucket(BucketKind.Output.Name()) + Bucket(BucketKind.Reasoning.Name())), ("cost", original.Cost),
        ];
        batch.BatchCommands.Add(MeteringSql.Command(
            $"""
            UPDATE minute_usage SET {minuteTotals}
            WHERE tenant_id = @tenant AND cycle = @cycle AND minute = @minute AND provider = @provider AND model = @model AND service = @service
            """,
            minute));
        if (original.Attributes is { Count: > 0 } attributes)
        {
            // the minutes of attribute values budgets name, wherever the entry's attributes have such a row
            batch.BatchCommands.Add(MeteringSql.Command(
                $"""
                UPDATE attribute_minute_usage SET {minuteTotals}
                FROM unnest(@keys::text[], @values::text[]) AS a(attribute_key, attribute_value)
                WHERE tenant_id = @tenant AND cycle = @cycle AND minute = @minute AND provider = @provider AND model = @model
                    AND attribute_minute_usage.attribute_key = a.attribute_key AND attribute_minute_usage.attribute_value = a.attribute_value
                """,
                [.. minute, ("keys", attributes.Keys.ToArray()), ("values", attributes.Values.ToArray())]));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetDecimal(1));
    }
}
