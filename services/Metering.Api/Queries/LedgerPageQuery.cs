using System.Text;
using System.Text.Json;
using Metering.Pricing;
using Npgsql;

namespace Metering.Api.Queries;

/// <summary>
/// A page of the ledger, streamed from PostgreSQL straight into the response: the keyset scan of the (tenant, id)
/// index, each row written as JSON as it is read, and each entry's charges passed through as stored (they are stored
/// in the API's form). The shape is <see cref="Endpoints.LedgerPage"/>.
/// </summary>
public sealed class LedgerPageQuery(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        id, event_id, kind, reverses_id, cycle, provider, model, service, request_id, attributes::text, occurred_at, received_at,
        priced_at, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, max_tokens, billed_tokens, billed_output_tokens,
        reserved_output_waste, reserved_output_waste_cost, tier_position_before, price_entry_id, tier_schedule, cost, charges::text,
        reasoning_tokens, matched_by
        """;

    public async Task WriteAsync(LedgerFilter filter, Stream body, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM ledger_entries WHERE tenant_id = @tenant");
        await using var command = dataSource.CreateCommand();
        command.Parameters.AddWithValue("tenant", filter.TenantId);
        Where(sql, command, "id > @after", "after", filter.After);
        Where(sql, command, "occurred_at >= @from", "from", filter.From);
        Where(sql, command, "occurred_at < @to", "to", filter.To);
        Where(sql, command, "provider = @provider", "provider", filter.Provider);
        Where(sql, command, "model = @model", "model", filter.Model);
        Where(sql, command, "service = @service", "service", filter.Service);
        sql.Append(" ORDER BY id LIMIT @limit");
        command.Parameters.AddWithValue("limit", filter.Limit + 1);
        command.CommandText = sql.ToString();

        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteStartArray("items"u8);
        long? last = null;
        var more = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var rows = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (++rows > filter.Limit)
                {
                    more = true;
                    break;
                }

                last = reader.GetInt64(0);
                WriteEntry(json, reader);
                if (json.BytesPending > 32_768)
                {
                    await json.FlushAsync(cancellationToken);
                }
            }
        }

        json.WriteEndArray();
        if (last is { } id)
        {
            json.WriteString("nextCursor"u8, Endpoints.Inputs.Cursor(id));
        }
        else if (filter.After is { } after)
        {
            json.WriteString("nextCursor"u8, Endpoints.Inputs.Cursor(after));
        }
        else
        {
            json.WriteNull("nextCursor"u8);
        }

        json.WriteBoolean("hasMore"u8, more);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void Where<T>(StringBuilder sql, NpgsqlCommand command, string condition, string name, T? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(condition);
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static void WriteEntry(Utf8JsonWriter json, NpgsqlDataReader r)
    {
        json.WriteStartObject();
        json.WriteNumber("id"u8, r.GetInt64(0));
        json.WriteString("eventId"u8, r.GetString(1));
        json.WriteString("kind"u8, r.GetString(2));
        WriteNullableNumber(json, "reversesId"u8, r, 3);
        json.WriteString("cycle"u8, r.GetFieldValue<DateOnly>(4).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("provider"u8, r.GetString(5));
        json.WriteString("model"u8, r.GetString(6));
        WriteNullableString(json, "service"u8, r, 7);
        WriteNullableString(json, "requestId"u8, r, 8);
        json.WritePropertyName("attributes"u8);
        if (r.IsDBNull(9))
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(r.GetString(9), skipInputValidation: true);
        }

        json.WriteString("occurredAt"u8, r.GetFieldValue<DateTimeOffset>(10));
        json.WriteString("receivedAt"u8, r.GetFieldValue<DateTimeOffset>(11));
        json.WriteString("pricedAt"u8, r.GetFieldValue<DateTimeOffset>(12));
        json.WriteStartObject("tokens"u8);
        json.WriteNumber("prompt"u8, r.GetInt64(13));
        json.WriteNumber("completion"u8, r.GetInt64(14));
        json.WriteNumber("cached"u8, r.GetInt64(15));
        json.WriteNumber("cacheWrite"u8, r.GetInt64(16));
        WriteNullableNumber(json, "maxTokens"u8, r, 17);
        json.WriteNumber("reasoning"u8, r.GetInt64(27));
        json.WriteNumber("billed"u8, r.GetInt64(18));
        json.WriteNumber("billedOutput"u8, r.GetInt64(19));
        json.WriteEndObject();
        json.WriteStartObject("reservedOutputWaste"u8);
        json.WriteNumber("tokens"u8, r.GetInt64(20));
        json.WriteString("cost"u8, Money.Format(r.GetDecimal(21)));
        json.WriteEndObject();
        json.WriteNumber("tierPositionBefore"u8, r.GetInt64(22));
        json.WriteString("priceEntry"u8, r.GetString(23));
        json.WriteString("pricedAs"u8, PricedAs(r.GetString(23)));
        WriteNullableString(json, "matchedBy"u8, r, 28);
        json.WriteString("tierSchedule"u8, r.GetString(24));
        json.WriteString("cost"u8, Money.Format(r.GetDecimal(25)));
        json.WritePropertyName("charges"u8);
        json.WriteRawValue(r.GetString(26), skipInputValidation: true);
        json.WriteEndObject();
    }

    /// <summary>The provider/model part of an entry id (<c>provider/model@effectiveFrom</c>): the model the event was priced as.</summary>
    public static string PricedAs(string priceEntryId) =>
        priceEntryId.LastIndexOf('@') is var at and > 0 ? priceEntryId[..at] : priceEntryId;

    private static void WriteNullableString(Utf8JsonWriter json, ReadOnlySpan<byte> name, NpgsqlDataReader r, int ordinal)
    {
        if (r.IsDBNull(ordinal))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, r.GetString(ordinal));
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter json, ReadOnlySpan<byte> name, NpgsqlDataReader r, int ordinal)
    {
        if (r.IsDBNull(ordinal))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, r.GetInt64(ordinal));
        }
    }
}
