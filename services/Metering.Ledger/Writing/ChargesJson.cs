using System.Buffers;
using System.Text;
using System.Text.Json;
using Metering.Ledger.Model;
using Metering.Pricing;

namespace Metering.Ledger.Writing;

/// <summary>
/// Writes an entry's charges in the JSON form of <see cref="LedgerCharge"/> (what EF Core reads back), by hand: the
/// hot path writes one per entry, and a reflection-based serializer and a list per entry cost more than the row.
/// </summary>
internal sealed class ChargesJson
{
    private readonly ArrayBufferWriter<byte> buffer = new(512);
    private readonly Utf8JsonWriter writer;

    public ChargesJson() => writer = new Utf8JsonWriter(buffer);

    public string Write(IReadOnlyList<BucketCharge> charges)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartArray();
        foreach (var charge in charges)
        {
            writer.WriteStartObject();
            writer.WriteString("kind"u8, charge.Kind.Name());
            writer.WriteNumber("tier"u8, charge.Tier);
            writer.WriteNumber("tokens"u8, charge.Tokens);
            writer.WriteNumber("discount"u8, charge.Discount);
            writer.WriteNumber("ratePerMillion"u8, charge.RatePerMillion);
            writer.WriteNumber("amount"u8, charge.Amount);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
