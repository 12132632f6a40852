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
        Start();
        foreach (var charge in charges)
        {
            WriteCharge(charge.Kind.Name(), charge.Tier, charge.Tokens, charge.Discount, charge.RatePerMillion, charge.Amount);
        }

        return End();
    }

    /// <summary>Charges as the ledger holds them (a reversal writes its original's, negated).</summary>
    public string Write(IReadOnlyList<LedgerCharge> charges)
    {
        Start();
        foreach (var charge in charges)
        {
            WriteCharge(charge.Kind, charge.Tier, charge.Tokens, charge.Discount, charge.RatePerMillion, charge.Amount);
        }

        return End();
    }

    private void Start()
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartArray();
    }

    private void WriteCharge(string kind, int tier, long tokens, decimal discount, decimal ratePerMillion, decimal amount)
    {
        writer.WriteStartObject();
        writer.WriteString("kind"u8, kind);
        writer.WriteNumber("tier"u8, tier);
        writer.WriteNumber("tokens"u8, tokens);
        writer.WriteString("discount"u8, Money.Format(discount));
        writer.WriteString("ratePerMillion"u8, Money.Format(ratePerMillion));
        writer.WriteString("amount"u8, Money.Format(amount));
        writer.WriteEndObject();
    }

    private string End()
    {
        writer.WriteEndArray();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
