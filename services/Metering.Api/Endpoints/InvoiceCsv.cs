using System.Globalization;
using System.Text;

namespace Metering.Api.Endpoints;

/// <summary>The CSV form of invoice lines; it parses back to the same lines.</summary>
public static class InvoiceCsv
{
    public const string Header = "provider,model,pricedAs,bucket,tier,discount,tokens,ratePerMillion,amount,exactAmount,kind";

    public static string Write(IEnumerable<InvoiceLine> lines)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var l in lines)
        {
            csv.AppendJoin(',', Field(l.Provider), Field(l.Model), Field(l.PricedAs), Field(l.Bucket), l.Tier.ToString(CultureInfo.InvariantCulture), l.Discount,
                l.Tokens.ToString(CultureInfo.InvariantCulture), l.RatePerMillion, l.Amount, l.ExactAmount, l.Kind).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break; double its quotes.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
