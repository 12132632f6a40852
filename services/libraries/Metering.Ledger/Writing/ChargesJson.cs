using System.Buffers;
using System.Text;
using System.Text.Json;
using Metering.Ledger.Model;
using Metering.Pricing;

namespace Metering.Ledger.Writing;

/// <summary>
/// Writes an entry's charges in the JSON form the ledger API serves (money as exact decimal strings), so that a page
/// of entries passes them through untouched; EF Core reads the same form into <see cref="LedgerCharge"/>. By hand: the
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
            writer.WriteString("discount"u8, Money.Format(charge.Discount));
            writer.WriteString("ratePerMillion"u8, Money.Format(charge.RatePerMillion));
            writer.WriteString("amount"u8, Money.Format(charge.Amount));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
